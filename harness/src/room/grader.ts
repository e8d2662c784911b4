// The grader's grants for one room: cluster-wide reads of exactly the kinds the checks read (the grading
// snapshot's kinds), and exec (the checks' `uname -r`, ping, stress-ng samples) only in the attendees'
// namespaces, through a Role and RoleBinding in each. Holding the grader's token then gives no way into a pod
// outside the room, such as a privileged node agent in kube-system.
import type { KubernetesObject } from '@kubernetes/client-node';

export interface GraderAccount {
  namespace: string;
  name: string;
}

export const DEFAULT_GRADER: GraderAccount = { namespace: 'podlab-grading', name: 'podlab-grader' };
const MANAGED = { 'app.kubernetes.io/managed-by': 'podlab', 'app.kubernetes.io/component': 'grader' };
export const ROOM_ROLE = 'podlab-grader-room';

/** What every check may read, across the cluster: the grading snapshot's kinds, and nothing else. */
const READS = [
  { apiGroups: [''], resources: ['namespaces', 'nodes', 'pods'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['node.k8s.io'], resources: ['runtimeclasses'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['get', 'list', 'watch'] },
  // `podlab doctor` asks what it may do
  { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews'], verbs: ['create'] },
];

/**
 * In the room only: exec (over WebSocket, what podlab uses, authorized as `get` on pods/exec; over SPDY, older
 * kubectl, as `create`; Kubernetes 1.35+ asks for `create` on both), and pod logs (oom-killed reads stress-ng's
 * log where a guest kernel killed only its worker). Logs and exec outside the room could show anything.
 */
const IN_ROOM = [
  { apiGroups: [''], resources: ['pods/exec'], verbs: ['get', 'create'] },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
];

const subject = (sa: GraderAccount) => [{ kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace }];

/** The account, its cluster-wide reads, and one Role + RoleBinding for exec and logs per attendee namespace. */
export function graderObjects(attendees: string[], sa: GraderAccount = DEFAULT_GRADER): KubernetesObject[] {
  const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), labels: MANAGED });
  const rbac = 'rbac.authorization.k8s.io/v1';
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta(sa.namespace) },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(sa.name, sa.namespace) },
    { apiVersion: rbac, kind: 'ClusterRole', metadata: meta(`${sa.name}-read`), rules: READS } as KubernetesObject,
    {
      apiVersion: rbac,
      kind: 'ClusterRoleBinding',
      metadata: meta(`${sa.name}-read`),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${sa.name}-read` },
      subjects: subject(sa),
    } as KubernetesObject,
    ...attendees.flatMap((ns) => [
      { apiVersion: rbac, kind: 'Role', metadata: meta(ROOM_ROLE, ns), rules: IN_ROOM } as KubernetesObject,
      {
        apiVersion: rbac,
        kind: 'RoleBinding',
        metadata: meta(ROOM_ROLE, ns),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: ROOM_ROLE },
        subjects: subject(sa),
      } as KubernetesObject,
    ]),
  ];
}

/** `podlab-grading/podlab-grader` → the account; anything else is not one. */
export function parseAccount(spec: string): GraderAccount | undefined {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/.exec(spec);
  return m ? { namespace: m[1]!, name: m[3]! } : undefined;
}
