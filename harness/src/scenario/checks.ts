// Small building blocks scenario checks share.
import type { V1Pod } from '@kubernetes/client-node';
import type { CheckResult, StepContext } from './types.js';
import { fail, pass } from './results.js';

/** The pod, or undefined when it does not exist. */
export async function readPod(ctx: StepContext, name: string): Promise<V1Pod | undefined> {
  try {
    return await ctx.core.readNamespacedPod({ name, namespace: ctx.namespace });
  } catch (err) {
    if ((err as { code?: number }).code === 404) return undefined;
    throw err;
  }
}

/** Why a pod is not running, in words an attendee can act on. */
export function podProblem(pod: V1Pod): string {
  const waiting = pod.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting;
  const unschedulable = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (waiting) return `container waiting: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}`;
  if (unschedulable) return `not scheduled: ${unschedulable.message ?? unschedulable.reason}`;
  return `phase ${pod.status?.phase ?? 'unknown'}`;
}

export function podIsRunning(pod: V1Pod | undefined, howToCreate: string): CheckResult {
  if (!pod)
    return fail({ expected: 'pod exists and is Running', actual: 'no such pod', hint: `create it: ${howToCreate}` });
  const phase = pod.status?.phase;
  if (phase === 'Running') return pass({ expected: 'Running', actual: phase });
  return fail({
    expected: 'Running',
    actual: phase ?? 'unknown',
    hint: `pod ${pod.metadata?.name} is not running yet (${podProblem(pod)}); see \`kubectl describe pod -n $NS ${pod.metadata?.name}\``,
  });
}
