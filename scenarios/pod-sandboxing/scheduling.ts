// RuntimeClass scheduling: the RuntimeClass's scheduling.nodeSelector (and tolerations) put sandboxed pods on
// the nodes that run the sandbox runtime (on AKS, the Kata node pool).
import { step, pass, fail } from 'podlab/scenario';
import { readPod, ready } from './lib.js';

const labelsText = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

export const scheduling = step({
  id: 'runtimeclass-scheduling',
  title: 'How the RuntimeClass schedules sandboxed pods',
  after: ['deploy-pods'],
  async run() {
    // The attendee reads the RuntimeClass, the pod and its node; nothing to create.
  },
  async check(ctx) {
    const notReady = await ready(ctx, [['sandboxed', 'pods.yaml']]);
    if (notReady) return notReady;
    const pod = await readPod(ctx, 'sandboxed');
    const nodeName = pod?.spec?.nodeName ?? '';
    const node = await ctx.core.readNode({ name: nodeName });
    const selector = ctx.sandbox?.nodeSelector ?? {};
    const nodeLabels = node.metadata?.labels ?? {};
    const podSelector = pod?.spec?.nodeSelector ?? {};
    ctx.evidence('RuntimeClass scheduling.nodeSelector', selector);
    ctx.evidence('pod spec.nodeSelector (merged in at admission)', podSelector);
    ctx.evidence('node', nodeName);
    const missing = Object.entries(selector).filter(([k, v]) => nodeLabels[k] !== v);
    const notMerged = Object.entries(selector).filter(([k, v]) => podSelector[k] !== v);
    if (Object.keys(selector).length === 0) {
      return pass({
        expected: "the sandboxed pod on a node matching the RuntimeClass's scheduling.nodeSelector",
        actual: `${ctx.sandbox?.name} has no scheduling.nodeSelector: every node runs it, so any node (${nodeName}) matches; this passes trivially here`,
      });
    }
    if (missing.length || notMerged.length) {
      return fail({
        expected: { node: `labelled ${labelsText(selector)}`, podNodeSelector: labelsText(selector) },
        actual: {
          node: `${nodeName}: ${labelsText(Object.fromEntries(missing.map(([k]) => [k, nodeLabels[k] ?? '(none)'])))}`,
          podNodeSelector: labelsText(podSelector) || '(none)',
        },
        hint: `the pod did not get the RuntimeClass's nodeSelector: is the RuntimeClass admission plugin on, and does the pod name ${ctx.sandbox?.name}? \`kubectl get pod sandboxed -n $NS -o jsonpath={.spec.nodeSelector}\``,
      });
    }
    return pass({
      expected: `the sandboxed pod on a node labelled ${labelsText(selector)}`,
      actual: `${nodeName}, selector merged into the pod`,
    });
  },
});
