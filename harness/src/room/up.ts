// `room up`: applies the room's design (server-side apply, so a second run changes nothing but what differs), then
// writes a kubeconfig per attendee and one for the grader, each with a token that expires.
import { PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import pLimit from 'p-limit';
import { join } from 'node:path';
import type { Cluster } from '../k8s/cluster.js';
import { ATTENDEE_ACCOUNT } from './objects.js';
import type { RoomDesign } from './build.js';
import type { GraderAccount } from './grader.js';
import type { RoomSpec } from './names.js';
import { writeKubeconfig } from './kubeconfigs.js';
import { policyName } from './admission.js';
import { untilPolicyEnforced } from './policy-enforced.js';
import type { Redactor } from '../report/redact.js';

export interface UpResult {
  kubeconfigs: Array<{ attendee: string; namespace: string; file: string; expires: string }>;
  grader: { file: string; expires: string };
}

const apply = (cluster: Cluster, o: KubernetesObject) =>
  cluster.objects.patch(o, undefined, undefined, 'podlab', true, PatchStrategy.ServerSideApply);

/** The policy before any namespace it guards, each attendee's namespace before what lives in it. */
async function applyRoom(cluster: Cluster, design: RoomDesign, settleMs = 300_000): Promise<void> {
  const all = [...design.cluster, ...design.attendees.flatMap((a) => a.objects), ...design.grader];
  const namespaces = all.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name ?? '');
  await Promise.all(namespaces.map((ns) => cluster.namespaceSettled(ns, settleMs)));
  for (const o of design.cluster) await apply(cluster, o);
  const limit = pLimit(4);
  await Promise.all(
    design.attendees.map((a) =>
      limit(async () => {
        for (const o of a.objects) await apply(cluster, o);
      }),
    ),
  );
  for (const o of design.grader) await apply(cluster, o);
}

export async function roomUp(
  cluster: Cluster,
  spec: RoomSpec,
  design: RoomDesign,
  /** `redactor`: the command's, which learns every token written */
  o: { dir: string; seconds: number; grader: GraderAccount; redactor: Redactor },
): Promise<UpResult> {
  await applyRoom(cluster, design);
  // No kubeconfig is handed out before the room's guard holds.
  const first = spec.attendees[0];
  if (first && design.cluster.some((c) => c.kind === 'ValidatingAdmissionPolicy'))
    await untilPolicyEnforced(cluster, first.namespace, policyName(spec.room));
  const limit = pLimit(4);
  const kubeconfigs = await Promise.all(
    spec.attendees.map((a) =>
      limit(async () => {
        const account = { namespace: a.namespace, name: ATTENDEE_ACCOUNT };
        const w = await writeKubeconfig(cluster, o.dir, { name: a.name, account, namespace: a.namespace }, o);
        return { attendee: a.name, namespace: a.namespace, ...w };
      }),
    ),
  );
  const grader = await writeKubeconfig(
    cluster,
    join(o.dir, 'grader'),
    { name: o.grader.name, account: o.grader, namespace: spec.attendees[0]!.namespace },
    o,
  );
  return { kubeconfigs, grader };
}
