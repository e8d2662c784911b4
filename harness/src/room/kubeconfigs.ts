// Kubeconfig files for a room: one per attendee (its ServiceAccount's token, its namespace as the default) and one
// for the grader. Tokens come from the TokenRequest API with an expiry, so nothing long-lived is written and no
// Secret is made; the files are 0600 in a 0700 folder, and a second `room up` writes fresh ones.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Cluster } from '../k8s/cluster.js';
import type { Redactor } from '../report/redact.js';

export interface Identity {
  /** the file's name without `.kubeconfig`, and its context's name */
  name: string;
  account: { namespace: string; name: string };
  /** the context's default namespace */
  namespace: string;
}

/**
 * A token for the account that expires after `seconds` (the API server may shorten it; its answer says when), added
 * to `redactor`, the command's.
 */
async function tokenFor(
  cluster: Cluster,
  account: Identity['account'],
  seconds: number,
  redactor: Redactor,
): Promise<{ token: string; expires: string }> {
  const r = await cluster.core.createNamespacedServiceAccountToken({
    name: account.name,
    namespace: account.namespace,
    body: { spec: { expirationSeconds: seconds, audiences: [] } },
  });
  const token = r.status?.token;
  if (!token) throw new Error(`the API server gave no token for ${account.namespace}/${account.name}`);
  redactor.add(token);
  const at = r.status?.expirationTimestamp as unknown;
  const expires = at instanceof Date ? at.toISOString() : String(at ?? '');
  return { token, expires };
}

/** The kubeconfig text: the admin's cluster (server and CA), this identity's token, its namespace. */
function kubeconfigText(cluster: Cluster, who: Identity, token: string): string {
  const c = cluster.kubeconfig.getCurrentCluster();
  if (!c) throw new Error('the kubeconfig names no cluster');
  const ca = c.caData ?? (c.caFile ? readFileSync(c.caFile).toString('base64') : undefined);
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': who.name,
    clusters: [
      {
        name: 'room',
        cluster: {
          server: c.server,
          ...(ca ? { 'certificate-authority-data': ca } : {}),
          ...(c.skipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}),
        },
      },
    ],
    users: [{ name: who.name, user: { token } }],
    contexts: [{ name: who.name, context: { cluster: 'room', user: who.name, namespace: who.namespace } }],
  });
}

/**
 * Writes `<dir>/<name>.kubeconfig` (0600; the folder 0700) and returns its path and the token's expiry; the token is
 * added to `redactor`.
 */
export async function writeKubeconfig(
  cluster: Cluster,
  dir: string,
  who: Identity,
  o: { seconds: number; redactor: Redactor },
): Promise<{ file: string; expires: string }> {
  const { token, expires } = await tokenFor(cluster, who.account, o.seconds, o.redactor);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${who.name}.kubeconfig`);
  writeFileSync(file, kubeconfigText(cluster, who, token), { mode: 0o600 });
  chmodSync(file, 0o600); // a file written before keeps its old mode otherwise
  return { file, expires };
}
