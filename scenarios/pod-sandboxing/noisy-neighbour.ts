import { defineScenario, step, fail, oomVerdict, profileFor, skip, standInReason, verdict } from 'podlab/scenario';
import type { StepContext } from 'podlab/scenario';
import { APPLY, applyAndWait, execText, noSandbox, readPod, terminated, ready } from './lib.js';

export const BASELINE_ANNOTATION = 'pod-sandboxing/baseline-bogo-ops';
/** The quiet samples behind the baseline (set by `podlab run`/`solve`; an attendee may set only the baseline). */
const SAMPLES_ANNOTATION = 'pod-sandboxing/baseline-samples';
/** The quiet baseline is the median of five runs, as the text takes it. */
const QUIET_SAMPLES = 5;
/**
 * The check's own window under noise: three 1-second runs, enough for a median of a rate (bogo ops/s) that
 * the 2-second quiet runs are compared with; the window is the step's whole added cost.
 */
const CHECK_SAMPLES = 3;
const CHECK_SECONDS = 1;
/** The victim keeps at least this share of its quiet throughput while the limited noisy pod runs. */
export const BOUND = 0.5;
const sample = (seconds: number) => `stress-ng --cpu 1 --timeout ${seconds}s --metrics-brief 2>&1`;
const SAMPLE = sample(2);

/**
 * bogo ops/s (real time) of `count` stress-ng cpu runs in the victim (2 s each unless said), one after the other. They run
 * in one exec, since starting a command in a sandboxed pod costs a few hundred milliseconds.
 */
async function window(ctx: StepContext, count: number, seconds = 2): Promise<number[]> {
  const { out } = await execText(ctx, 'victim', `for i in $(seq ${count}); do ${sample(seconds)}; done`);
  const samples = [...out.matchAll(/cpu\s+\d+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)/g)].map((m) => Number(m[1]));
  if (samples.length !== count)
    throw new Error(`expected ${count} stress-ng results, read ${samples.length}: ${out.slice(-200)}`);
  return samples;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export default defineScenario('noisy-neighbour', [
  step({
    id: 'noisy-neighbour',
    title: 'Keep a noisy sandboxed neighbour in its lane',
    // Neither `after` nor `parallel`: it measures, so it runs alone. Both of its windows see the same idle pods.
    timeout: 300_000,
    async run(ctx) {
      await applyAndWait(ctx, 'victim.yaml', ['victim']);
      const quiet = await window(ctx, QUIET_SAMPLES);
      // The quiet baseline travels with the victim, so a read-only check can compare against it later.
      const annotations = {
        ...(await readPod(ctx, 'victim'))?.metadata?.annotations,
        [BASELINE_ANNOTATION]: String(Math.round(median(quiet))),
        [SAMPLES_ANNOTATION]: JSON.stringify(quiet),
      };
      await ctx.core.patchNamespacedPod({
        name: 'victim',
        namespace: ctx.namespace,
        body: [{ op: 'add', path: '/metadata/annotations', value: annotations }],
      });
      await applyAndWait(ctx, 'noisy.yaml', ['noisy']);
    },
    async check(ctx) {
      const notReady = await ready(ctx, [
        ['victim', 'victim.yaml'],
        ['noisy', 'noisy.yaml'],
      ]);
      if (notReady) return notReady;
      const nodes = {
        victim: (await readPod(ctx, 'victim'))?.spec?.nodeName,
        noisy: (await readPod(ctx, 'noisy'))?.spec?.nodeName,
      };
      if (nodes.victim !== nodes.noisy) {
        return fail({
          expected: 'victim and noisy on the same node',
          actual: nodes,
          hint: `apart, the noisy pod cannot disturb the victim: recreate both from the lab's manifests, whose podAffinity keeps them together (${APPLY('victim.yaml')}, then ${APPLY('noisy.yaml')})`,
        });
      }
      const victimAnnotations = (await readPod(ctx, 'victim'))?.metadata?.annotations ?? {};
      const baseline = Number(victimAnnotations[BASELINE_ANNOTATION] ?? NaN);
      if (!(baseline > 0)) {
        return fail({
          expected: `a quiet baseline in annotation ${BASELINE_ANNOTATION} on pod victim`,
          actual: 'none',
          hint: `measure the quiet baseline with the noisy pod stopped (\`kubectl delete pod noisy -n $NS\`): take the median bogo ops/s (real time) of five \`kubectl exec -n $NS victim -- ${SAMPLE}\` runs, \`kubectl annotate pod victim -n $NS ${BASELINE_ANNOTATION}=<median>\`, then start the noisy pod again`,
        });
      }
      const samples = await window(ctx, CHECK_SAMPLES, CHECK_SECONDS);
      const during = median(samples);
      const limit = (await readPod(ctx, 'noisy'))?.spec?.containers[0]?.resources?.limits?.cpu;
      ctx.evidence('baseline bogo ops/s', baseline);
      if (victimAnnotations[SAMPLES_ANNOTATION])
        ctx.evidence('quiet samples', JSON.parse(victimAnnotations[SAMPLES_ANNOTATION]));
      ctx.evidence('median under noise', Math.round(during));
      ctx.evidence('samples under noise', samples);
      ctx.evidence('noisy cpu limit', limit);
      return verdict(during >= BOUND * baseline, {
        expected: `median victim throughput ≥ ${BOUND * 100}% of the quiet ${baseline} bogo ops/s over ${CHECK_SAMPLES} samples`,
        actual: `median ${Math.round(during)} bogo ops/s (${Math.round((during / baseline) * 100)}%)`,
        hint: `the noisy pod takes more than its share: does it have a CPU limit? \`kubectl get pod noisy -n $NS -o jsonpath={.spec.containers[0].resources}\` (${APPLY('noisy.yaml')})`,
      });
    },
  }),
  step({
    id: 'oom-killed',
    title: 'Exceed the memory limit: OOMKilled',
    after: ['cluster-ready'],
    timeout: 180_000,
    async run(ctx) {
      await applyAndWait(ctx, 'oom.yaml', ['oom'], terminated, 150_000);
    },
    async check(ctx) {
      const none = noSandbox(ctx);
      if (none) return none;
      const pod = await readPod(ctx, 'oom');
      if (!pod) return fail({ expected: 'pod oom', actual: 'no such pod', hint: `create it: ${APPLY('oom.yaml')}` });
      const profile = profileFor(ctx.sandbox);
      if (!profile)
        return skip(
          `no runtime profile table describes RuntimeClass ${ctx.sandbox?.name} (profile ${ctx.sandbox?.profile})`,
        );
      // The table's OOM rule is about a guest sized from the limit; a stand-in runtime has no such guest.
      const standIn = standInReason(profile, 'an OOM kill inside the pod VM (sized from the memory limit)');
      if (standIn) return skip(standIn);
      const status = pod.status?.containerStatuses?.[0];
      const ended = status?.state?.terminated ?? status?.lastState?.terminated;
      // stress-ng logs it when the OOM killer took a worker but not the container (Kata's guest kernel may do that).
      const log =
        ended && ended.reason !== 'OOMKilled'
          ? await ctx.core
              .readNamespacedPodLog({ name: 'oom', namespace: ctx.namespace, tailLines: 50 })
              .catch(() => '')
          : '';
      const v = oomVerdict(profile, {
        reason: ended?.reason,
        exitCode: ended?.exitCode,
        phase: pod.status?.phase,
        log,
      });
      ctx.evidence('terminated', ended);
      ctx.evidence(`OOM on ${profile.id}`, profile.oom.note);
      return verdict(v.ok, {
        expected: v.expected,
        actual: v.actual,
        hint: v.ended
          ? `the container ended without an OOM kill: every container of pod oom needs a memory limit (128Mi) below what stress-ng allocates (512M); \`kubectl delete pod oom -n $NS\` and run \`${APPLY('oom.yaml')}\``
          : 'wait a few seconds: stress-ng needs a moment to pass the limit',
      });
    },
  }),
]);
