import { defineScenario, step, verdict } from 'podlab/scenario';
import { deletePods } from './lib.js';

const LAB_PODS = [
  'sandboxed',
  'normal',
  'sandboxed-peer',
  'limited',
  'victim',
  'noisy',
  'oom',
  'host-network',
  'privileged',
  'node-view',
];
const SELECTOR = 'app.kubernetes.io/part-of=pod-sandboxing';

export default defineScenario('cleanup', [
  step({
    id: 'clean-up',
    title: 'Delete what the lab created',
    timeout: 180_000,
    // Cleaning up presupposes something to clean: in a grade, clean-up counts only once the steps that make the
    // lab's pods (and its NetworkPolicy) are done. It also makes clean-up wait for them in a run.
    after: [
      'deploy-pods',
      'ping-pods',
      'isolate-sandboxed',
      'guest-resources',
      'noisy-neighbour',
      'oom-killed',
      'host-network',
      'privileged-guest',
    ],
    async run(ctx) {
      // The check, retried until the step's timeout, waits for the pods to be gone.
      await deletePods(ctx, LAB_PODS);
      await ctx.networking
        .deleteNamespacedNetworkPolicy({ name: 'isolate-sandboxed', namespace: ctx.namespace })
        .catch((err: { code?: number }) => {
          if (err.code !== 404) throw err;
        });
    },
    async check(ctx) {
      const pods = (await ctx.core.listNamespacedPod({ namespace: ctx.namespace, labelSelector: SELECTOR })).items;
      const left = pods.map((p) => `${p.metadata?.name}${p.metadata?.deletionTimestamp ? ' (terminating)' : ''}`);
      ctx.evidence('lab pods left', left);
      return verdict(left.length === 0, {
        expected: 'no lab pods left',
        actual: left.length ? left.join(', ') : 'none',
        hint: pods.every((p) => p.metadata?.deletionTimestamp)
          ? 'the pods are terminating: wait a few seconds and check again'
          : `run \`kubectl delete pods -n $NS -l ${SELECTOR}\``,
      });
    },
  }),
]);
