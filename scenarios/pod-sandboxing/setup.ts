import { defineScenario, step, pass, fail } from 'podlab/scenario';

export default defineScenario('setup', [
  step({
    id: 'cluster-ready',
    title: 'Cluster reachable with a sandbox runtime',
    async run() {
      // Nothing to create: the cluster (AKS or `podlab cluster up`) is set up outside the lab.
    },
    async check(ctx) {
      if (!ctx.sandbox) {
        return fail({
          expected: 'a sandbox RuntimeClass (kata-vm-isolation, kata-mshv-vm-isolation, kata-*, kata, gvisor)',
          actual: 'none',
          hint: 'on AKS add a node pool with --workload-runtime KataVmIsolation; locally run `podlab cluster up`; then `kubectl get runtimeclass`',
        });
      }
      const selector = Object.entries(ctx.sandbox.nodeSelector ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const nodes = (await ctx.core.listNode({ labelSelector: selector || undefined })).items.filter(
        (n) => !n.spec?.unschedulable && n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      ctx.evidence('runtimeClass', ctx.sandbox);
      ctx.evidence(
        'nodes',
        nodes.map((n) => n.metadata?.name),
      );
      return nodes.length > 0
        ? pass({
            expected: `a Ready node for ${ctx.sandbox.name}`,
            actual: nodes.map((n) => n.metadata?.name).join(', '),
          })
        : fail({
            expected: `a Ready node matching ${selector || 'any'}`,
            actual: 'none',
            hint: `no schedulable node can run ${ctx.sandbox.name} pods; check \`kubectl get nodes --show-labels\``,
          });
    },
  }),
]);
