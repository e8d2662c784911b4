// `room down`: everything `room up` made, found by the room's label, deleted; the namespaces waited for until they
// are gone. The grader's account and cluster-wide reads go too, unless another room still uses them.
import type { KubernetesObject } from '@kubernetes/client-node';
import { rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { Cluster } from '../k8s/cluster.js';
import { isNotFound } from '../k8s/retry.js';
import { admissionObjects } from './admission.js';
import { graderObjects, ROOM_ROLE, type GraderAccount } from './grader.js';
import { ATTENDEE_LABEL, roomSelector, type RoomSpec } from './names.js';
import { roomClusterObjects } from './objects.js';

export interface DownResult {
  namespaces: string[];
  /** the grader's own objects were left for the namespaces where it still grades (another room, `room grant`) */
  graderKeptFor: string[];
}

const gone = (err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err));
const remove = (cluster: Cluster, o: KubernetesObject) => cluster.objects.delete(o).then(() => undefined, gone);

export async function roomDown(
  cluster: Cluster,
  spec: Pick<RoomSpec, 'lab' | 'room'>,
  o: { grader: GraderAccount; dir?: string; timeoutMs?: number },
): Promise<DownResult> {
  const listed = await cluster.core.listNamespace({ labelSelector: roomSelector(spec.room) });
  const namespaces = listed.items.map((n) => n.metadata?.name ?? '').filter(Boolean);
  const names = listed.items.map((n) => n.metadata?.labels?.[ATTENDEE_LABEL] ?? '').filter(Boolean);
  const limit = pLimit(8);
  await Promise.all(namespaces.map((ns) => limit(() => cluster.deleteNamespace(ns, o.timeoutMs ?? 300_000))));
  // the policy stays until its namespaces are gone: nothing left running in them could use the gap
  const whole = { ...spec, attendees: [] };
  for (const obj of [
    ...roomClusterObjects(whole, { namespaced: [], cluster: [] }),
    ...admissionObjects(whole, undefined),
  ])
    await remove(cluster, obj);
  const graderKeptFor = await graderStillGrades(cluster);
  if (!graderKeptFor.length) {
    for (const obj of graderObjects([], o.grader).reverse()) if (obj.kind !== 'Namespace') await remove(cluster, obj);
    // waited for like the attendees' namespaces, so that a `room up` right after finds nothing half-deleted
    await cluster.deleteNamespace(o.grader.namespace, o.timeoutMs ?? 300_000);
  }
  if (o.dir) removeKubeconfigs(o.dir, names, o.grader);
  return { namespaces, graderKeptFor };
}

/** Namespaces where the grader still has its Role (another room's, or `room grant`'s): it stays for them. */
async function graderStillGrades(cluster: Cluster): Promise<string[]> {
  const bindings = await cluster.objects.list(
    'rbac.authorization.k8s.io/v1',
    'RoleBinding',
    undefined,
    undefined,
    undefined,
    undefined,
    `metadata.name=${ROOM_ROLE}`,
  );
  return bindings.items.flatMap((b) => (b.metadata?.deletionTimestamp ? [] : [b.metadata?.namespace ?? '']));
}

/** The room's kubeconfig files (their tokens died with their accounts), and the folders if nothing else is in them. */
function removeKubeconfigs(dir: string, attendees: string[], grader: GraderAccount): void {
  for (const n of attendees) rmSync(join(dir, `${n}.kubeconfig`), { force: true });
  rmSync(join(dir, 'grader', `${grader.name}.kubeconfig`), { force: true });
  for (const d of [join(dir, 'grader'), dir]) {
    try {
      rmdirSync(d);
    } catch {
      // not empty (someone else's files) or not there: left as it is
    }
  }
}
