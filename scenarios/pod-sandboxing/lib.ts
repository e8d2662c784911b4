// Helpers shared by the Pod Sandboxing scenarios.
import type { V1Pod } from '@kubernetes/client-node';
import { podIsRunning, readPod, skip } from 'podlab/scenario';
import type { CheckFail, CheckSkip, StepContext } from 'podlab/scenario';

export { readPod };
export const MANIFESTS = 'manifests/pod-sandboxing';
export const APPLY = (file: string) => `envsubst < ${MANIFESTS}/${file} | kubectl apply -n $NS -f -`;

export const running = (p: V1Pod) => p.status?.phase === 'Running';
export const terminated = (p: V1Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

export async function applyAndWait(
  ctx: StepContext,
  file: string,
  pods: string[],
  until = running,
  timeoutMs = 120_000,
) {
  await ctx.apply(`${MANIFESTS}/${file}`);
  for (const pod of pods) await ctx.waitForPod(pod, until, timeoutMs);
}

export async function deletePods(ctx: StepContext, names: string[]) {
  for (const name of names) {
    await ctx.core
      .deleteNamespacedPod({ name, namespace: ctx.namespace, gracePeriodSeconds: 0 })
      .catch((err: { code?: number }) => {
        if (err.code !== 404) throw err;
      });
  }
}

/** Every named pod exists and runs; otherwise the first problem, phrased for an attendee. */
export async function requireRunning(
  ctx: StepContext,
  pods: Array<[name: string, file: string]>,
): Promise<CheckFail | undefined> {
  for (const [name, file] of pods) {
    const r = podIsRunning(await readPod(ctx, name), APPLY(file));
    if (r.status === 'fail') return { ...r, expected: `pod ${name} Running` };
  }
  return undefined;
}

export async function execText(ctx: StepContext, pod: string, script: string): Promise<{ out: string; code: number }> {
  const r = await ctx.exec(pod, ['sh', '-c', script], { timeoutMs: 60_000 });
  return { out: `${r.stdout}${r.stderr}`.trim(), code: r.code };
}

export const noSandbox = (ctx: StepContext): CheckSkip | undefined =>
  ctx.sandbox ? undefined : skip('the cluster has no sandbox RuntimeClass (kata-vm-isolation, kata-*, gvisor)');

/** A check's common preconditions: a sandbox runtime exists and the named pods run. */
export async function ready(
  ctx: StepContext,
  pods: Array<[name: string, file: string]>,
): Promise<CheckFail | CheckSkip | undefined> {
  return noSandbox(ctx) ?? (await requireRunning(ctx, pods));
}
