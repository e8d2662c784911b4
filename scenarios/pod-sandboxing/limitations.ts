import { defineScenario, step } from '../../harness/src/scenario/define.js';
import { APPLY, applyAndWait, execText, isKata, noSandbox, readPod } from './lib.js';
import { podProblem } from '../../harness/src/scenario/checks.js';
import type { V1Pod } from '@kubernetes/client-node';

/** Running, or given up on: either way the runtime has decided. */
const decided = (p: V1Pod) => p.status?.phase === 'Running' || p.status?.phase === 'Failed'
  || Boolean(p.status?.containerStatuses?.some((c) => ['CreateContainerError', 'RunContainerError', 'CrashLoopBackOff'].includes(c.state?.waiting?.reason ?? '')))
  || Boolean(p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False'));

export default defineScenario('limitations', [
  step({
    id: 'host-network',
    title: 'Host networking and the sandbox',
    timeout: 180_000,
    async run(ctx) {
      await applyAndWait(ctx, 'host-network.yaml', ['host-network'], decided);
    },
    async check(ctx) {
      const none = noSandbox(ctx);
      if (none) return none;
      const pod = await readPod(ctx, 'host-network');
      if (!pod) return { ok: false, expected: 'pod host-network', actual: 'no such pod', hint: `create it: ${APPLY('host-network.yaml')}` };
      const expected = 'the sandboxed pod does not get the node\'s network: rejected (Kata on AKS) or given no host interfaces (gVisor)';
      if (pod.status?.phase !== 'Running') {
        ctx.evidence('status', podProblem(pod));
        return { ok: decided(pod), expected, actual: `not running: ${podProblem(pod)}`,
          hint: decided(pod) ? undefined : 'wait until the runtime has accepted or refused the pod' };
      }
      // It runs: then it must not see the node's interfaces.
      const { out } = await execText(ctx, 'host-network', 'cat /proc/net/dev');
      const interfaces = out.split('\n').slice(2).map((l) => l.split(':')[0]!.trim()).filter((i) => i && i !== 'lo');
      ctx.evidence('interfaces seen in the sandbox', interfaces);
      ctx.evidence('pod IP reported by the API', pod.status?.podIP);
      return { ok: interfaces.length === 0, expected, actual: interfaces.length ? `sees host interfaces: ${interfaces.join(', ')}` : 'running, with no network interface but loopback',
        hint: interfaces.length ? 'this runtime shares the node network with a sandboxed pod: the sandbox boundary is weaker than the lab assumes' : undefined };
    },
  }),
  step({
    id: 'privileged-guest',
    title: 'Privileged applies inside the guest only',
    timeout: 180_000,
    async run(ctx) {
      await applyAndWait(ctx, 'privileged.yaml', ['privileged'], decided);
    },
    async check(ctx) {
      const none = noSandbox(ctx);
      if (none) return none;
      const pod = await readPod(ctx, 'privileged');
      if (!pod) return { ok: false, expected: 'pod privileged', actual: 'no such pod', hint: `create it: ${APPLY('privileged.yaml')}` };
      const expected = 'no host block device can be read from the privileged sandboxed pod';
      if (pod.status?.phase !== 'Running') {
        return { ok: decided(pod), expected, actual: `not running: ${podProblem(pod)}`, hint: decided(pod) ? undefined : 'wait for the pod to start' };
      }
      const script = 'for d in /dev/vd? /dev/sd? /dev/nvme?n? /dev/xvd?; do [ -e "$d" ] || continue; if head -c 1 "$d" >/dev/null 2>&1; then echo "readable $d"; else echo "refused $d"; fi; done';
      const { out } = await execText(ctx, 'privileged', script);
      const lines = out.split('\n').filter(Boolean);
      ctx.evidence('block devices', lines);
      ctx.evidence('runtime', isKata(ctx) ? 'Kata: /dev is the guest VM\'s' : 'gVisor: host device nodes may be listed, but the Sentry does not pass them through');
      const readable = lines.filter((l) => l.startsWith('readable'));
      return { ok: readable.length === 0, expected, actual: lines.length ? lines.join(', ') : 'no block device visible',
        hint: readable.length ? `the sandbox exposes host devices (${readable.join(', ')})` : undefined };
    },
  }),
]);
