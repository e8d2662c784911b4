import { defineScenario, step } from '../../harness/src/scenario/define.js';
import { deletePods } from './lib.js';

const LAB_PODS = ['sandboxed', 'normal', 'sandboxed-peer', 'limited', 'victim', 'noisy', 'oom', 'host-network', 'privileged'];

export default defineScenario('cleanup', [
  step({
    id: 'clean-up',
    title: 'Delete what the lab created',
    timeout: 180_000,
    async run(ctx) {
      // The check, retried until the step's timeout, waits for the pods to be gone.
      await deletePods(ctx, LAB_PODS);
    },
    async check(ctx) {
      const left = (await ctx.core.listNamespacedPod({ namespace: ctx.namespace, labelSelector: 'app.kubernetes.io/part-of=pod-sandboxing' })).items
        .map((p) => p.metadata?.name ?? '');
      return { ok: left.length === 0, expected: 'no lab pods left', actual: left.length ? left.join(', ') : 'none',
        hint: 'run `kubectl delete pods -n $NS -l app.kubernetes.io/part-of=pod-sandboxing`' };
    },
  }),
]);
