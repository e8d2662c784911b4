// Abandoned runs: namespaces of a run whose lease lapsed (the run was killed and could not tear down). Any
// command that runs a lab reaps them first; `podlab doctor` lists them. A live run renews its lease every
// third of its length, so one counts as abandoned only after two whole lengths without a renewal.
import type { V1Namespace } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.js';
import { LAB_LABEL, MANAGED_BY, RUN_LABEL } from '../k8s/cluster.js';
import { describeError } from '../k8s/retry.js';
import { KEPT, LEASE_RENEWED, LEASE_SECONDS } from './lease.js';

export interface AbandonedRun {
  runId: string;
  lab?: string;
  namespaces: string[];
  /** when its lease was last renewed (or the namespace made, for a run that never renewed) */
  lastSeen: string;
}

/** A namespace made before runs had leases, or by a run killed before its first renewal, gets this long. */
const UNLEASED_GRACE_MS = 10 * 60_000;

function lapsed(ns: V1Namespace, now: number): { lapsed: boolean; lastSeen: string } {
  const a = ns.metadata?.annotations ?? {};
  const renewed = Date.parse(a[LEASE_RENEWED] ?? '');
  if (Number.isFinite(renewed)) {
    const seconds = Number(a[LEASE_SECONDS]) || 60;
    return { lapsed: now - renewed > 2 * seconds * 1000, lastSeen: new Date(renewed).toISOString() };
  }
  const created = new Date(ns.metadata?.creationTimestamp ?? now).getTime();
  return { lapsed: now - created > UNLEASED_GRACE_MS, lastSeen: new Date(created).toISOString() };
}

/** Runs none of whose namespaces has a live lease. Kept runs (`--keep`) and namespaces being deleted are left out. */
export async function abandonedRuns(cluster: Cluster, now = Date.now()): Promise<AbandonedRun[]> {
  const list = await cluster.core.listNamespace({ labelSelector: `${MANAGED_BY}=podlab,${RUN_LABEL}` });
  const runs = new Map<string, { live: boolean; run: AbandonedRun }>();
  for (const ns of list.items) {
    const name = ns.metadata?.name;
    const runId = ns.metadata?.labels?.[RUN_LABEL];
    if (!name || !runId || ns.metadata?.deletionTimestamp || ns.metadata?.annotations?.[KEPT]) continue;
    const lease = lapsed(ns, now);
    const entry = runs.get(runId) ?? {
      live: false,
      run: { runId, lab: ns.metadata?.labels?.[LAB_LABEL], namespaces: [], lastSeen: lease.lastSeen },
    };
    entry.live ||= !lease.lapsed;
    entry.run.namespaces.push(name);
    if (lease.lastSeen > entry.run.lastSeen) entry.run.lastSeen = lease.lastSeen;
    runs.set(runId, entry);
  }
  return [...runs.values()].filter((r) => !r.live).map((r) => r.run);
}

/** Deletes the abandoned runs' namespaces, saying what it reaped; a failure to reap is said, never fatal. */
export async function reapAbandoned(
  cluster: Cluster,
  note: (line: string) => void,
  signal?: AbortSignal,
): Promise<AbandonedRun[]> {
  let runs: AbandonedRun[];
  try {
    runs = await abandonedRuns(cluster);
  } catch (err) {
    // Someone who may not list namespaces (an attendee's solve) has no runs to reap.
    if ((err as { code?: number }).code !== 403) note(`could not look for abandoned runs: ${describeError(err)}`);
    return [];
  }
  await Promise.all(
    runs.map(async (r) => {
      note(
        `reaping abandoned run ${r.runId}${r.lab ? ` (${r.lab})` : ''}: its lease lapsed (last renewed ${r.lastSeen}); deleting ${r.namespaces.join(', ')}`,
      );
      await Promise.all(r.namespaces.map((n) => cluster.deleteNamespace(n, 150_000, signal))).catch((err: unknown) => {
        note(`reaping run ${r.runId}: ${describeError(err)}`);
      });
    }),
  );
  return runs;
}
