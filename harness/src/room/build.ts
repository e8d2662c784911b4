// Everything `room up` applies, computed before anything is applied: the lab's timeline on this platform, the
// attendee's budget and rights, and from them the objects of every attendee, the room and the grader.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Plan } from '../plan/plan.js';
import type { Platform } from '../plan/blocks.js';
import type { SandboxRuntime } from '../k8s/types.js';
import { timeline } from './timeline.js';
import { budgetOf, type Budget } from './budget.js';
import { rightsOf, type Rights } from './rights.js';
import { attendeeObjects, roomClusterObjects } from './objects.js';
import { admissionObjects } from './admission.js';
import { graderObjects, type GraderAccount } from './grader.js';
import type { RoomSpec } from './names.js';
import { bytes, milliCpu, type Amount } from './quantity.js';

export interface RoomDesign {
  budget: Budget;
  rights: Rights;
  /** applied in this order: cluster-wide first, then each attendee's (namespace first), then the grader's */
  cluster: KubernetesObject[];
  attendees: Array<{ namespace: string; objects: KubernetesObject[] }>;
  grader: KubernetesObject[];
}

/** The sandbox RuntimeClass's `overhead.podFixed` as numbers (none: zero). */
export function overheadOf(sandbox: Pick<SandboxRuntime, 'overhead'> | undefined): Amount {
  return { cpu: milliCpu(sandbox?.overhead?.cpu) ?? 0, memory: bytes(sandbox?.overhead?.memory) ?? 0 };
}

export function budgetFor(plan: Plan, platform: Platform, overhead: Amount): { budget: Budget; kinds: Set<string> } {
  const t = timeline(plan, platform);
  return { budget: budgetOf(t, overhead), kinds: t.kinds };
}

export function designRoom(
  spec: RoomSpec,
  plan: Plan,
  o: { platform: Platform; sandbox?: SandboxRuntime; grader: GraderAccount },
): RoomDesign {
  const { budget, kinds } = budgetFor(plan, o.platform, overheadOf(o.sandbox));
  const rights = rightsOf(plan, o.platform, kinds);
  return {
    budget,
    rights,
    cluster: [...admissionObjects(spec, o.sandbox?.name), ...roomClusterObjects(spec, rights)],
    attendees: spec.attendees.map((a) => ({
      namespace: a.namespace,
      objects: attendeeObjects(spec, a, rights, budget),
    })),
    grader: graderObjects(
      spec.attendees.map((a) => a.namespace),
      o.grader,
    ),
  };
}
