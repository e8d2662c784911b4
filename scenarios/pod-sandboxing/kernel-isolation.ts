import { defineScenario, step, pass, fail } from 'podlab/scenario';
import type { StepContext } from 'podlab/scenario';
import { execText, readPod, ready } from './lib.js';

/** `uname -r` in the pod and the kernel of the node it runs on (on AKS the two pods may sit in different node pools). */
async function kernels(ctx: StepContext, pod: string): Promise<{ node: string; nodeKernel: string; pod: string }> {
  const node = (await readPod(ctx, pod))?.spec?.nodeName ?? '';
  const nodeKernel = (await ctx.core.readNode({ name: node })).status?.nodeInfo?.kernelVersion ?? '';
  const { out } = await execText(ctx, pod, 'uname -r');
  return { node, nodeKernel, pod: out };
}

export default defineScenario('kernel-isolation', [
  step({
    id: 'compare-kernels',
    title: "Compare each pod's kernel with the node's",
    after: ['deploy-pods'],
    async run() {
      // The attendee runs `uname -r` in both pods; nothing to create.
    },
    async check(ctx) {
      const notReady = await ready(ctx, [
        ['sandboxed', 'pods.yaml'],
        ['normal', 'pods.yaml'],
      ]);
      if (notReady?.status === 'fail')
        return { ...notReady, hint: `${notReady.hint} (finish the deploy-pods step first)` };
      if (notReady) return notReady;
      const normal = await kernels(ctx, 'normal');
      const sandboxed = await kernels(ctx, 'sandboxed');
      const actual = {
        normal: `${normal.pod} (node ${normal.node}: ${normal.nodeKernel})`,
        sandboxed: `${sandboxed.pod} (node ${sandboxed.node}: ${sandboxed.nodeKernel})`,
      };
      // node = the normal pod's node; sandboxedNode = the sandboxed pod's (they differ when the pods sit in different pools)
      ctx.evidence('kernels', {
        node: normal.nodeKernel,
        normal: normal.pod,
        sandboxed: sandboxed.pod,
        sandboxedNode: sandboxed.nodeKernel,
      });
      ctx.evidence('nodes', { normal: normal.node, sandboxed: sandboxed.node });
      const expected = {
        normal: "equals its node's kernelVersion",
        sandboxed: "differs from its node's kernelVersion",
      };
      if (normal.pod !== normal.nodeKernel) {
        return fail({
          expected,
          actual,
          hint: "the normal pod should share its node's kernel; is it on the default runtime? `kubectl get pod normal -n $NS -o jsonpath={.spec.runtimeClassName}` must print nothing",
        });
      }
      if (sandboxed.pod === sandboxed.nodeKernel) {
        return fail({
          expected,
          actual,
          hint: "the sandboxed pod reports its node's kernel, so it is not sandboxed: `kubectl get pod sandboxed -n $NS -o jsonpath={.spec.runtimeClassName}` must print the sandbox RuntimeClass; if not, delete the pod and re-apply pods.yaml with RUNTIME_CLASS set",
        });
      }
      return pass({ expected, actual });
    },
  }),
]);
