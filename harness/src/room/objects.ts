// The objects of a room, as plain Kubernetes objects for server-side apply: per attendee a namespace, a
// ServiceAccount bound to the lab's rights there, a ResourceQuota and a LimitRange cut from the lab's budget; for
// the room one ClusterRole of the cluster-wide reads the text makes, bound to every attendee's account.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Budget } from './budget.js';
import { roomLabels, type RoomSpec } from './names.js';
import type { Rights } from './rights.js';
import { cpuQuantity, memQuantity } from './quantity.js';

export const ATTENDEE_ACCOUNT = 'podlab-attendee';
/** the name of the Role, RoleBinding, ResourceQuota and LimitRange in each attendee namespace */
export const ROOM_OBJECT = 'podlab-room';
const RBAC = 'rbac.authorization.k8s.io/v1';

const clusterRoleName = (room: string) => `podlab-room-${room}-attendee`;

/** The ResourceQuota's hard limits: the lab's peak, plus one more of its largest pod (an attendee re-creating one). */
function quotaOf(b: Budget): Record<string, string> {
  return {
    pods: String(b.pods.value + 1),
    'requests.cpu': cpuQuantity(b.requests.cpu.value + b.largest.requests.cpu),
    'requests.memory': memQuantity(b.requests.memory.value + b.largest.requests.memory),
    'limits.cpu': cpuQuantity(b.limits.cpu.value + b.largest.limits.cpu),
    'limits.memory': memQuantity(b.limits.memory.value + b.largest.limits.memory),
  };
}

function limitRangeOf(b: Budget): Record<string, unknown> {
  const q = (a: { cpu: number; memory: number }) => ({ cpu: cpuQuantity(a.cpu), memory: memQuantity(a.memory) });
  return {
    limits: [
      {
        type: 'Container',
        defaultRequest: q(b.defaults.request),
        // client-node's model names the field `_default` (`default` is a reserved word) and drops a `default` key
        _default: q(b.defaults.limit),
        max: q(b.defaults.max),
      },
    ],
  };
}

export function attendeeObjects(spec: RoomSpec, who: RoomSpec['attendees'][number], rights: Rights, b: Budget) {
  const labels = roomLabels(spec, who.name);
  const ns = who.namespace;
  const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), labels });
  const objs: KubernetesObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta(ns) },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(ATTENDEE_ACCOUNT, ns) },
    { apiVersion: RBAC, kind: 'Role', metadata: meta(ROOM_OBJECT, ns), rules: rights.namespaced } as KubernetesObject,
    {
      apiVersion: RBAC,
      kind: 'RoleBinding',
      metadata: meta(ROOM_OBJECT, ns),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: ROOM_OBJECT },
      subjects: [{ kind: 'ServiceAccount', name: ATTENDEE_ACCOUNT, namespace: ns }],
    } as KubernetesObject,
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta(ROOM_OBJECT, ns),
      spec: { hard: quotaOf(b) },
    } as KubernetesObject,
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta(ROOM_OBJECT, ns),
      spec: limitRangeOf(b),
    } as KubernetesObject,
  ];
  return objs;
}

/** The room's cluster-wide reads (RuntimeClasses, nodes: what the text reads), bound to every attendee. */
export function roomClusterObjects(spec: RoomSpec, rights: Rights): KubernetesObject[] {
  const name = clusterRoleName(spec.room);
  const metadata = { name, labels: roomLabels(spec) };
  return [
    { apiVersion: RBAC, kind: 'ClusterRole', metadata, rules: rights.cluster } as KubernetesObject,
    {
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: spec.attendees.map((a) => ({ kind: 'ServiceAccount', name: ATTENDEE_ACCOUNT, namespace: a.namespace })),
    } as KubernetesObject,
  ];
}
