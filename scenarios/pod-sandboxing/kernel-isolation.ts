import { defineScenario, step } from '../../harness/src/scenario/define.js';
import { execText, readPod, ready } from './lib.js';

export default defineScenario('kernel-isolation', [
  step({
    id: 'compare-kernels',
    title: "Compare each pod's kernel with the node's",
    async run() {
      // The attendee runs `uname -r` in both pods; nothing to create.
    },
    async check(ctx) {
      const notReady = await ready(ctx, [['sandboxed', 'pods.yaml'], ['normal', 'pods.yaml']]);
      if (notReady) return { ...notReady, hint: `${notReady.hint} (finish the deploy-pods step first)` };
      const nodeName = (await readPod(ctx, 'normal'))?.spec?.nodeName ?? '';
      const node = (await ctx.core.readNode({ name: nodeName })).status?.nodeInfo?.kernelVersion ?? '';
      const sandboxed = (await execText(ctx, 'sandboxed', 'uname -r')).out;
      const normal = (await execText(ctx, 'normal', 'uname -r')).out;
      const actual = { node, normal, sandboxed };
      ctx.evidence('kernels', actual);
      const expected = { normal: `equals the node's ${node}`, sandboxed: `differs from the node's ${node}` };
      if (normal !== node) return { ok: false, expected, actual, hint: 'the normal pod should share the node kernel; is it really on the default runtime?' };
      if (sandboxed === node) {
        return { ok: false, expected, actual, hint: 'the sandboxed pod reports the node kernel: it is not sandboxed; check `kubectl get pod sandboxed -o jsonpath={.spec.runtimeClassName}`' };
      }
      return { ok: true, expected, actual };
    },
  }),
]);
