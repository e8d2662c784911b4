import { defineScenario, step, fail, verdict } from 'podlab/scenario';
import { APPLY, applyAndWait, execText, isKata, readPod, ready } from './lib.js';

/** Kubernetes quantity → bytes (binary and decimal suffixes) or cores. */
export function quantity(q: string | undefined): number {
  if (!q) return 0;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(q);
  if (!m) return 0;
  const units: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };
  return Number(m[1]) * (units[m[2]!] ?? 1);
}

export default defineScenario('resources', [
  step({
    id: 'guest-resources',
    title: 'See what the sandboxed guest gets under limits',
    after: ['cluster-ready'],
    timeout: 180_000,
    async run(ctx) {
      await applyAndWait(ctx, 'limited.yaml', ['limited']);
    },
    async check(ctx) {
      const notReady = await ready(ctx, [['limited', 'limited.yaml']]);
      if (notReady) return notReady;
      const pod = await readPod(ctx, 'limited');
      const limits = pod?.spec?.containers[0]?.resources?.limits ?? {};
      const overhead = pod?.spec?.overhead ?? {};
      const cpuLimit = quantity(limits.cpu);
      const memLimit = quantity(limits.memory);
      const memOverhead = quantity(overhead.memory);
      const nproc = Number((await execText(ctx, 'limited', 'nproc')).out);
      const memTotalKiB = Number(/MemTotal:\s+(\d+)/.exec((await execText(ctx, 'limited', 'cat /proc/meminfo')).out)?.[1] ?? 0);
      // What the guest's own cgroup files say (v1 or v2): Kata's guest kernel shows the container limit;
      // gVisor's cgroupfs shows none, because the host enforces the limit on the pod cgroup around the sandbox.
      const guestCgroup = (
        await execText(
          ctx,
          'limited',
          'for f in memory/memory.limit_in_bytes cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us memory.max cpu.max; do [ -r /sys/fs/cgroup/$f ] && echo "$f $(cat /sys/fs/cgroup/$f)"; done; true',
        )
      ).out;
      ctx.evidence('guest cgroup files', guestCgroup.split('\n').filter(Boolean));
      const node = await ctx.core.readNode({ name: pod?.spec?.nodeName ?? '' });
      const nodeCpus = quantity(node.status?.capacity?.cpu);
      const actual = { nproc, memTotalMiB: Math.round(memTotalKiB / 1024) };
      ctx.evidence('limits', limits);
      ctx.evidence('pod overhead (from the RuntimeClass)', overhead);
      ctx.evidence('RuntimeClass overhead', ctx.sandbox?.overhead ?? 'none');
      ctx.evidence('nodeCpus', nodeCpus);
      if (memLimit === 0)
        return fail({ expected: 'a memory limit on pod limited', actual: 'none', hint: `delete pod limited and recreate it: ${APPLY('limited.yaml')}` });
      if (isKata(ctx)) {
        // Kata: the VM gets ceil(cpu limit) vCPUs and memory sized from the limit.
        const want = Math.ceil(cpuLimit);
        const memOk = memTotalKiB * 1024 >= 0.6 * memLimit && memTotalKiB * 1024 <= memLimit + memOverhead + 64 * 1024 ** 2;
        return verdict(nproc === want && memOk, {
          expected: { nproc: want, memTotalMiB: `about ${memLimit / 1024 ** 2}` },
          actual,
          hint: `the Kata guest should have ceil(cpu limit) vCPUs and about the memory limit; check the limits with \`kubectl get pod limited -n $NS -o jsonpath={.spec.containers[0].resources}\` and recreate it: ${APPLY('limited.yaml')}`,
        });
      }
      // gVisor: the Sentry reports the pod cgroup limit (container limits + RuntimeClass overhead) as MemTotal
      // and the host's CPUs as nproc; the CPU limit is a cgroup quota, not a CPU count.
      const wantMiB = Math.round((memLimit + memOverhead) / 1024 ** 2);
      const memOk = Math.abs(actual.memTotalMiB - wantMiB) <= Math.max(8, wantMiB * 0.05);
      return verdict(memOk && nproc === nodeCpus, {
        expected: { nproc: nodeCpus, memTotalMiB: wantMiB },
        actual,
        hint: memOk
          ? "gVisor should report the node's CPU count; is the pod really sandboxed? `kubectl get pod limited -n $NS -o jsonpath={.spec.runtimeClassName}`"
          : `MemTotal should equal the memory limit plus the RuntimeClass overhead; check \`kubectl get pod limited -n $NS -o jsonpath={.spec.containers[0].resources}\` and recreate it: ${APPLY('limited.yaml')}`,
      });
    },
  }),
]);
