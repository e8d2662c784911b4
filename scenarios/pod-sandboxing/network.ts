import { defineScenario, step, pass, fail, skip, verdict } from 'podlab/scenario';
import type { StepContext } from 'podlab/scenario';
import { MANIFESTS, applyAndWait, execText, noSandbox, readPod, requireRunning, ready } from './lib.js';

const PODS: Array<[string, string]> = [
  ['sandboxed', 'pods.yaml'],
  ['normal', 'pods.yaml'],
  ['sandboxed-peer', 'sandboxed-peer.yaml'],
];

async function ping(ctx: StepContext, from: string, to: string, count = 3) {
  const ip = (await readPod(ctx, to))?.status?.podIP ?? '';
  const r = await execText(ctx, from, `ping -c ${count} -W 2 ${ip}`);
  return {
    route: `${from} → ${to} (${ip})`,
    ok: r.code === 0,
    summary:
      r.out
        .split('\n')
        .filter((l) => /transmitted|unreachable|bad address/i.test(l))
        .join(' ') || r.out.slice(-200),
  };
}

async function policyNames(ctx: StepContext): Promise<string[]> {
  return (await ctx.networking.listNamespacedNetworkPolicy({ namespace: ctx.namespace })).items.map(
    (p) => p.metadata?.name ?? '',
  );
}

export default defineScenario('network', [
  step({
    id: 'ping-pods',
    title: 'Ping across sandboxed and normal pods',
    after: ['deploy-pods'],
    timeout: 180_000,
    async run(ctx) {
      await applyAndWait(ctx, 'sandboxed-peer.yaml', ['sandboxed-peer']);
    },
    async check(ctx) {
      const notReady = await ready(ctx, PODS);
      if (notReady) return notReady;
      // Once the next step's policy exists, pings *to* sandboxed pods may rightly fail (where it is enforced);
      // then only sandboxed → normal is expected to answer, so this step stays done after the next one.
      const policy = (await policyNames(ctx)).includes('isolate-sandboxed');
      const routes: Array<[string, string]> = [
        ['sandboxed', 'normal'],
        ...(policy
          ? []
          : ([
              ['normal', 'sandboxed'],
              ['sandboxed', 'sandboxed-peer'],
            ] as Array<[string, string]>)),
      ];
      // The routes do not depend on each other: ping them all at once.
      const results = await Promise.all(routes.map(([from, to]) => ping(ctx, from, to)));
      ctx.evidence('pings', results);
      if (policy)
        ctx.evidence(
          'note',
          'NetworkPolicy isolate-sandboxed exists: pings to sandboxed pods belong to the isolate-sandboxed step',
        );
      const failed = results.filter((r) => !r.ok);
      return verdict(failed.length === 0, {
        expected: policy
          ? 'sandboxed → normal answered (ingress to sandboxed pods is now up to the NetworkPolicy)'
          : 'every ping answered: sandboxed → normal, normal → sandboxed, sandboxed → sandboxed-peer',
        actual: results.map((r) => `${r.route}: ${r.ok ? 'answered' : `no answer (${r.summary})`}`),
        hint: failed.length
          ? `no answer on ${failed.map((f) => f.route).join(', ')}: does the pod have an IP and is a NetworkPolicy in the way? \`kubectl get pods -n $NS -o wide; kubectl get networkpolicy -n $NS\``
          : undefined,
      });
    },
  }),
  step({
    id: 'isolate-sandboxed',
    title: 'Isolate the sandboxed pods with a NetworkPolicy',
    // On a cluster that enforces NetworkPolicy the policy stops the pings of ping-pods, so it comes after them.
    after: ['ping-pods'],
    async run(ctx) {
      await ctx.apply(`${MANIFESTS}/isolate-sandboxed.yaml`);
    },
    async check(ctx) {
      const none = noSandbox(ctx);
      if (none) return none;
      const policies = await policyNames(ctx);
      if (!policies.includes('isolate-sandboxed')) {
        return fail({
          expected: 'NetworkPolicy isolate-sandboxed',
          actual: policies.join(', ') || 'no NetworkPolicy',
          hint: `create it: kubectl apply -n $NS -f ${MANIFESTS}/isolate-sandboxed.yaml`,
        });
      }
      const problem = await requireRunning(ctx, PODS);
      if (problem) return problem;
      const result = await ping(ctx, 'normal', 'sandboxed', 2);
      ctx.evidence('ping after policy', result);
      if (result.ok) {
        return skip('cluster does not enforce NetworkPolicy (no policy-capable CNI): the ping still got through');
      }
      return pass({ expected: 'normal → sandboxed ping blocked by the policy', actual: `blocked (${result.summary})` });
    },
    async cleanup(ctx) {
      await ctx.networking
        .deleteNamespacedNetworkPolicy({ name: 'isolate-sandboxed', namespace: ctx.namespace })
        .catch((err: { code?: number }) => {
          if (err.code !== 404) throw err;
        });
    },
  }),
]);
