// Which cluster podlab talks to: --kubeconfig/--context, then $KUBECONFIG, ~/.kube/config, the embedded cluster,
// then the pod's own ServiceAccount when podlab runs inside a cluster (manifests/nightly/).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { readRegularFile } from '../files.js';
import { KubeConfig } from '@kubernetes/client-node';
import { EnvironmentError, UsageError } from '../errors.js';
import { boundPlugins, enforcePluginPolicy, TRUSTED, type PluginPolicy } from './credential-plugins.js';

export const EMBEDDED_KUBECONFIG = join(process.env.PODLAB_STATE_DIR ?? '/var/lib/podlab/cluster', 'admin.kubeconfig');

/** Where a pod's ServiceAccount token is mounted (client-node's loadFromCluster reads the same files). */
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Inside a pod with a mounted token: `root` prefixes the token's path (tests). */
export function inCluster(root = '', env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.KUBERNETES_SERVICE_HOST) && existsSync(`${root}${SERVICE_ACCOUNT_DIR}/token`);
}

export interface ClusterTarget {
  kubeconfig?: string;
  context?: string;
}

export function kubeconfigPath(target: ClusterTarget = {}): string | undefined {
  if (target.kubeconfig) return target.kubeconfig;
  if (process.env.KUBECONFIG) return process.env.KUBECONFIG.split(':')[0];
  const home = join(homedir(), '.kube', 'config');
  if (existsSync(home)) return home;
  return existsSync(EMBEDDED_KUBECONFIG) ? EMBEDDED_KUBECONFIG : undefined;
}

/** `plugins`: whose file it is (an attendee's runs only the credential plugins the instructor allowed). */
export function loadKubeConfig(target: ClusterTarget = {}, serviceAccountRoot = '', plugins = TRUSTED): KubeConfig {
  const kc = new KubeConfig();
  boundPlugins(kc);
  const path = kubeconfigPath(target);
  if (!path && inCluster(serviceAccountRoot)) {
    if (target.context)
      throw new UsageError(
        `--context ${target.context}: podlab uses its pod's ServiceAccount here (no kubeconfig), which has no contexts`,
      );
    kc.loadFromCluster(serviceAccountRoot);
    reuseConnections(kc);
    return kc;
  }
  if (!path)
    throw new EnvironmentError('no kubeconfig found: set KUBECONFIG, pass --kubeconfig, or run `podlab cluster up`');
  // Read as untrusted input (files.ts): KUBECONFIG=/dev/zero or a FIFO must fail at once, not fill memory or hang.
  const read = readRegularFile(path, MAX_KUBECONFIG_BYTES);
  if (read.problem !== undefined) throw new EnvironmentError(`cannot read kubeconfig ${path}: ${read.problem}`);
  try {
    kc.loadFromString(read.bytes.toString('utf8'));
    kc.makePathsAbsolute(dirname(path));
  } catch (err) {
    throw new EnvironmentError(`cannot read kubeconfig ${path}: ${(err as Error).message.split('\n')[0]}`);
  }
  filesNamedIn(kc, path);
  reuseConnections(kc);
  if (target.context) {
    if (!kc.getContextObject(target.context)) throw new UsageError(`context "${target.context}" is not in ${path}`);
    kc.setCurrentContext(target.context);
  }
  if (!kc.getCurrentCluster())
    throw new EnvironmentError(
      `kubeconfig ${path} names no cluster for its current context ("${kc.getCurrentContext() || 'none'}"): pass --context, or set one with \`kubectl config use-context\``,
    );
  enforcePluginPolicy(kc, plugins as PluginPolicy, `kubeconfig ${path}`);
  return kc;
}

/**
 * client-node builds a new https.Agent, so a new TLS handshake, for every request, watch and exec. One
 * keep-alive agent per context instead: connections are reused and the handshake is paid once, which more
 * than halves podlab's own CPU time in a lab run (docs/performance.md).
 */
function reuseConnections(kc: KubeConfig): void {
  const config = kc as unknown as { createAgent(cluster: unknown, options: Record<string, unknown>): unknown };
  const make = config.createAgent.bind(kc);
  const agents = new Map<string, unknown>();
  config.createAgent = (cluster, options) => {
    const context = kc.getCurrentContext();
    if (!agents.has(context)) agents.set(context, make(cluster, { ...options, keepAlive: true }));
    return agents.get(context);
  };
}

/** A kubeconfig is a few KB; its CA, certificate and key files a few more. */
const MAX_KUBECONFIG_BYTES = 1024 * 1024;

/** The CA, certificate and key files a kubeconfig names are regular files of bounded size (client-node reads them whole). */
function filesNamedIn(kc: KubeConfig, path: string): void {
  const named = [
    ...kc.getClusters().map((c) => ['certificate-authority', c.caFile] as const),
    ...kc.getUsers().flatMap((u) => [['client-certificate', u.certFile] as const, ['client-key', u.keyFile] as const]),
  ];
  for (const [what, file] of named) {
    const problem = file ? readRegularFile(file, MAX_KUBECONFIG_BYTES).problem : undefined;
    if (problem) throw new EnvironmentError(`kubeconfig ${path}: its ${what} ${file} ${problem}`);
  }
}

/**
 * Every credential the kubeconfig holds or points at (tokens, passwords, client keys, a ServiceAccount's token
 * file, an exec plugin's secret environment), as values: the command that loaded the kubeconfig hands them to
 * the redactor of what it prints, so they are redacted as themselves, not only when they match a pattern.
 */
export function credentialsOf(kc: KubeConfig): string[] {
  const read = (file?: string) => {
    try {
      return file ? readRegularFile(file, MAX_KUBECONFIG_BYTES).bytes?.toString('utf8').trim() : undefined;
    } catch {
      return undefined;
    }
  };
  const decode = (b64?: string) => (b64 ? Buffer.from(b64, 'base64').toString() : undefined);
  const out: Array<string | undefined> = [];
  for (const u of kc.getUsers()) {
    out.push(u.token, u.password, u.keyData, decode(u.keyData), read(u.keyFile));
    for (const [k, v] of Object.entries(
      (u.authProvider as { config?: Record<string, unknown> } | undefined)?.config ?? {},
    )) {
      if (typeof v === 'string' && k !== 'tokenFile' && /token|secret|password/i.test(k)) out.push(v);
      if (typeof v === 'string' && k === 'tokenFile') out.push(read(v)); // loadFromCluster's ServiceAccount token
    }
    // an exec plugin's credentials in its environment (AWS_SECRET_ACCESS_KEY, a token); the token it returns is caught by pattern
    for (const e of (u.exec as { env?: Array<{ name?: string; value?: string }> } | undefined)?.env ?? []) {
      if (/token|secret|password|pass$|_key$/i.test(e.name ?? '')) out.push(e.value);
    }
  }
  return out.filter((v): v is string => Boolean(v));
}

/** A cluster's identity for the progress record: the API server it is reached at. */
export function clusterId(c: { kubeconfig: KubeConfig }): string {
  return c.kubeconfig.getCurrentCluster()?.server ?? 'unknown';
}
