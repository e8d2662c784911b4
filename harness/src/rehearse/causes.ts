// Why an attendee's step failed in a rehearsal: the room ran out of node capacity (a pod Pending, unschedulable),
// the namespace's quota or the room's admission policy refused an object, the attendee's identity lacked a right,
// or none of these: the step's own check. Read from what the step's text printed and from the pods the scheduler
// could not place, so that an instructor tells a full room from a lab that is wrong.
import type { Cluster } from '../k8s/cluster.js';
import type { StepResult } from '../report/model.js';

export type Cause = 'capacity' | 'quota' | 'admission' | 'rbac' | 'interrupted' | 'check';

/** What a refusal looks like in kubectl's or the API server's words. */
const SAID: Array<[Exclude<Cause, 'capacity' | 'check'>, RegExp]> = [
  ['admission', /ValidatingAdmissionPolicy|denied request/i],
  ['quota', /exceeded quota|failed quota|must specify (limits|requests)/i],
  ['rbac', /forbidden: User "|cannot (create|get|list|patch|delete) resource/i],
  ['interrupted', /interrupted by SIG[A-Z]+/],
];

/** The text a step left behind: its reason, what it saw, and its blocks' output. */
function saidBy(s: StepResult): string[] {
  const blocks = Array.isArray(s.evidence?.blocks) ? (s.evidence.blocks as Array<Record<string, unknown>>) : [];
  const lines = [s.reason, typeof s.actual === 'string' ? s.actual : JSON.stringify(s.actual ?? '')];
  for (const b of blocks) lines.push(String(b.stderr ?? ''), String(b.stdout ?? ''));
  return lines.filter((l): l is string => !!l).flatMap((t) => t.split('\n'));
}

/** A failed step's cause; `unschedulable` are the namespace's pods the scheduler could not place, with its message. */
export function causeOf(s: StepResult, unschedulable: string[]): { cause: Cause; detail: string } {
  const lines = saidBy(s);
  for (const [cause, re] of SAID) {
    const line = lines.find((l) => re.test(l));
    if (line) return { cause, detail: line.trim().slice(0, 300) };
  }
  if (unschedulable.length) return { cause: 'capacity', detail: unschedulable.join('; ').slice(0, 300) };
  return { cause: 'check', detail: s.reason ?? 'the check failed' };
}

/** `pod: message` for each pod of the namespace that is Pending because the scheduler found no node for it. */
export async function unschedulablePods(cluster: Cluster, namespace: string): Promise<string[]> {
  const pods = await cluster.core.listNamespacedPod({ namespace }).catch(() => undefined);
  return (pods?.items ?? []).flatMap((p) => {
    const c = p.status?.conditions?.find((x) => x.type === 'PodScheduled');
    return p.status?.phase === 'Pending' && c?.status === 'False'
      ? [`${p.metadata?.name}: ${c.reason ?? ''} ${c.message ?? ''}`.trim()]
      : [];
  });
}
