import {
  cpuVerdict,
  defineScenario,
  fail,
  memoryVerdict,
  profileFor,
  skip,
  standInReason,
  step,
  verdict,
} from 'podlab/scenario';
import { APPLY, applyAndWait, execText, readPod, ready } from './lib.js';

/** Kubernetes quantity → bytes (binary and decimal suffixes) or cores. */
export function quantity(q: string | undefined): number {
  if (!q) return 0;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(q);
  if (!m) return 0;
  const units: Record<string, number> = {
    '': 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
  };
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
      const memTotalKiB = Number(
        /MemTotal:\s+(\d+)/.exec((await execText(ctx, 'limited', 'cat /proc/meminfo')).out)?.[1] ?? 0,
      );
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
        return fail({
          expected: 'a memory limit on pod limited',
          actual: 'none',
          hint: `delete pod limited and recreate it: ${APPLY('limited.yaml')}`,
        });
      const profile = profileFor(ctx.sandbox);
      if (!profile)
        return skip(
          `no runtime profile table describes RuntimeClass ${ctx.sandbox?.name} (profile ${ctx.sandbox?.profile})`,
          { actual },
        );
      const standIn = standInReason(profile, "the pod VM's sizing (vCPUs, memory)");
      if (standIn) return skip(standIn, { actual });
      const cpu = cpuVerdict(profile, { cpuLimit, nodeCpus, nproc });
      const mem = memoryVerdict(profile, { memLimit, overhead: memOverhead, memTotal: memTotalKiB * 1024 });
      ctx.evidence('profile', profile.id);
      ctx.evidence('readings matched', { cpus: cpu.matched, memory: mem.matched });
      return verdict(cpu.ok && mem.ok, {
        expected: { cpus: cpu.expected, memory: mem.expected },
        actual: { cpus: cpu.actual, memory: mem.actual },
        hint: cpu.ok
          ? `MemTotal fits no documented reading for ${profile.id}; check the limits with \`kubectl get pod limited -n $NS -o jsonpath={.spec.containers[0].resources}\` and recreate it: ${APPLY('limited.yaml')}`
          : `the guest's CPU count is outside ceil(limit)..the node's CPUs; is the pod really sandboxed? \`kubectl get pod limited -n $NS -o jsonpath={.spec.runtimeClassName}\``,
      });
    },
  }),
]);
