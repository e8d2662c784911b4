// `room status`: the room as it stands. Per attendee its namespace, pods running and pending, the ResourceQuota's use
// against its hard limits, and each Pending pod with the reason the cluster gives (the scheduler's, when the room ran
// out of node capacity, or the kubelet's, an image that does not pull): what tells the instructor that the room, not
// the attendee, is short.
import type { V1Pod, V1ResourceQuota } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.js';
import { ATTENDEE_LABEL, roomSelector } from './names.js';
import { ROOM_OBJECT } from './objects.js';
import { visible } from '../terminal.js';

export interface AttendeeStatus {
  attendee: string;
  namespace: string;
  terminating: boolean;
  pods: { running: number; pending: number; other: number };
  /** `pods 3/10`, `requests.cpu 350m/1100m`, ... in the quota's order */
  quota: Array<{ resource: string; used: string; hard: string }>;
  pending: Array<{ pod: string; reason: string }>;
}

/** Why a pod is Pending: the scheduler's condition, else a container's waiting reason, else what the kubelet is at. */
function pendingReason(p: V1Pod): string {
  const sched = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (sched) return `${sched.reason ?? 'Unschedulable'}: ${sched.message ?? ''}`.trim();
  const waiting = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]
    .map((c) => c.state?.waiting)
    .find((w) => w?.reason && w.reason !== 'PodInitializing');
  if (waiting) return `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`;
  return 'scheduled, containers starting';
}

function quotaRows(q: V1ResourceQuota | undefined): AttendeeStatus['quota'] {
  const hard = q?.status?.hard ?? q?.spec?.hard ?? {};
  return Object.keys(hard).map((resource) => ({
    resource,
    used: String(q?.status?.used?.[resource] ?? '0'),
    hard: String(hard[resource]),
  }));
}

export async function roomStatus(cluster: Cluster, room: string): Promise<AttendeeStatus[]> {
  const namespaces = (await cluster.core.listNamespace({ labelSelector: roomSelector(room) })).items;
  return Promise.all(
    namespaces.map(async (n) => {
      const namespace = n.metadata?.name ?? '';
      const [pods, quotas] = await Promise.all([
        cluster.core.listNamespacedPod({ namespace }),
        cluster.core.listNamespacedResourceQuota({ namespace }),
      ]);
      const phase = (p: V1Pod) => p.status?.phase ?? 'Pending';
      const pending = pods.items.filter((p) => phase(p) === 'Pending');
      const running = pods.items.filter((p) => phase(p) === 'Running').length;
      return {
        attendee: n.metadata?.labels?.[ATTENDEE_LABEL] ?? namespace,
        namespace,
        terminating: Boolean(n.metadata?.deletionTimestamp),
        pods: { running, pending: pending.length, other: pods.items.length - running - pending.length },
        quota: quotaRows(quotas.items.find((q) => q.metadata?.name === ROOM_OBJECT)),
        pending: pending.map((p) => ({ pod: p.metadata?.name ?? '', reason: pendingReason(p) })),
      };
    }),
  ).then((rows) => rows.sort((a, b) => a.namespace.localeCompare(b.namespace, 'en', { numeric: true })));
}

/** The status as a table and the Pending pods under it. */
export function statusText(room: string, rows: AttendeeStatus[]): string[] {
  if (!rows.length) return [`room ${room}: no attendee namespace (room up makes them)`];
  const quotaText = (r: AttendeeStatus) =>
    ['pods', 'requests.cpu', 'limits.cpu', 'requests.memory', 'limits.memory']
      .flatMap((k) => r.quota.filter((q) => q.resource === k))
      .map((q) => `${q.resource} ${q.used}/${q.hard}`)
      .join(', ');
  const cells = rows.map((r) => [
    visible(r.attendee),
    visible(r.namespace) + (r.terminating ? ' (terminating)' : ''),
    `${r.pods.running} running, ${r.pods.pending} pending${r.pods.other ? `, ${r.pods.other} ended` : ''}`,
    quotaText(r) || 'no quota',
  ]);
  const all = [['attendee', 'namespace', 'pods', 'quota used/hard'], ...cells];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((c) => c[i]!.length)));
  const out = all.map((c) =>
    c
      .map((x, i) => x.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  const pending = rows.flatMap((r) => r.pending.map((p) => `  ${visible(`${r.namespace}/${p.pod}: ${p.reason}`)}`));
  out.push(
    `room ${room}: ${rows.length} attendee(s), ${rows.reduce((n, r) => n + r.pods.pending, 0)} pod(s) Pending`,
    ...pending,
  );
  return out;
}
