// What a `podlab run` of the project's labs asks of the cluster, permission by permission. A run checks them
// (SelfSubjectAccessReview) before it makes anything, so a missing one is exit 3 naming it instead of a run that
// cannot clean up after itself; `podlab doctor` lists them; manifests/nightly/rbac.yaml grants exactly these.
import { AuthorizationV1Api } from '@kubernetes/client-node';
import type { Cluster } from './cluster.js';
import { retrying } from './retry.js';
import { LEAK_AUDIT_KINDS } from './leak-audit.js';
import { EnvironmentError } from '../errors.js';

export interface Permission {
  verb: string;
  /** `pods`, or `pods/exec` for a subresource */
  resource: string;
  group: string;
  /** namespace: asked in the run's namespace; cluster: across the cluster */
  scope: 'namespace' | 'cluster';
  why: string;
}

const GROUPS: Record<string, string> = Object.fromEntries(
  LEAK_AUDIT_KINDS.filter((k) => k.group).map((k) => [k.resource, k.group]),
);

// verbs, resources, scope, why
const NEEDS: Array<[string, string, Permission['scope'], string]> = [
  [
    'create get list watch patch delete',
    'namespaces',
    'cluster',
    'a run makes its namespace, labels the ones its text makes, and deletes them',
  ],
  ['list watch', 'serviceaccounts', 'namespace', "a run waits for its namespace's default ServiceAccount"],
  ['create get list watch patch delete', 'pods', 'namespace', "the labs' pods"],
  [
    'create get',
    'pods/exec',
    'namespace',
    'commands in pods (kubectl exec, checks); get over WebSocket, create from Kubernetes 1.35',
  ],
  ['get', 'pods/log', 'namespace', 'kubectl logs'],
  ['list', 'events', 'namespace', 'kubectl describe'],
  ['create get list patch delete', 'networkpolicies', 'namespace', 'the network isolation step'],
  ['get list watch', 'nodes runtimeclasses', 'cluster', 'sandbox and platform detection, kernel checks'],
  ['list', LEAK_AUDIT_KINDS.map((k) => k.resource).join(' '), 'cluster', 'the leak audit, by label across the cluster'],
];

/** Each permission once: the leak audit's list of namespaces and RuntimeClasses is already asked for above. */
export const RUN_PERMISSIONS: Permission[] = NEEDS.flatMap(([verbs, resources, scope, why]) =>
  resources
    .split(' ')
    .flatMap((resource) =>
      verbs.split(' ').map((verb) => ({ verb, resource, group: GROUPS[resource.split('/')[0]!] ?? '', scope, why })),
    ),
).filter(
  (p, i, all) => all.findIndex((q) => q.verb === p.verb && q.resource === p.resource && q.scope === p.scope) === i,
);

const describePermission = (p: Permission, namespace?: string) =>
  `${p.verb} ${p.resource}${p.group ? ` (${p.group})` : ''} ${p.scope === 'cluster' ? 'cluster-wide' : `in namespace ${namespace ?? '<the run’s>'}`}`;

/** Each permission with whether RBAC allows it (undefined: the review itself failed, e.g. forbidden). */
export async function reviewAccess(
  cluster: Cluster,
  namespace: string,
  permissions = RUN_PERMISSIONS,
): Promise<Array<[Permission, boolean | undefined]>> {
  const authz = retrying(cluster.kubeconfig.makeApiClient(AuthorizationV1Api), {
    log: cluster.retries,
    budgetMs: cluster.retryBudgetMs,
  });
  return Promise.all(
    permissions.map(async (p): Promise<[Permission, boolean | undefined]> => {
      const [resource, subresource] = p.resource.split('/');
      const attrs = {
        verb: p.verb,
        resource,
        subresource,
        group: p.group,
        namespace: p.scope === 'namespace' ? namespace : undefined,
      };
      try {
        const r = await authz.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: attrs } } });
        return [p, r.status?.allowed === true];
      } catch {
        return [p, undefined];
      }
    }),
  );
}

/** Before a run makes anything: every permission it needs, or exit 3 naming those missing and what to grant. */
export async function requireRunAccess(cluster: Cluster, namespace: string): Promise<void> {
  const denied = (await reviewAccess(cluster, namespace)).filter(([, allowed]) => allowed === false).map(([p]) => p);
  if (!denied.length) return;
  const missing = denied.map((p) => `${describePermission(p, namespace)} (${p.why})`).join('; ');
  throw new EnvironmentError(
    `RBAC: the run did not start, as this identity may not: ${missing}. Grant ${denied.length === 1 ? 'it' : 'them'} to the identity podlab runs as ` +
      '(manifests/nightly/rbac.yaml grants what a run needs; `podlab doctor` lists each permission).',
  );
}
