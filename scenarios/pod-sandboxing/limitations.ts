import { defineScenario, step, podProblem, fail, verdict } from 'podlab/scenario';
import { APPLY, applyAndWait, execText, isKata, noSandbox, readPod } from './lib.js';
import type { V1Pod } from '@kubernetes/client-node';

/** Running, or given up on: either way the runtime has decided. */
const decided = (p: V1Pod) =>
  p.status?.phase === 'Running' ||
  p.status?.phase === 'Failed' ||
  Boolean(
    p.status?.containerStatuses?.some((c) => ['CreateContainerError', 'RunContainerError', 'CrashLoopBackOff'].includes(c.state?.waiting?.reason ?? '')),
  ) ||
  Boolean(p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False'));

// Each step applies, waits for and inspects its own pod and reads nothing another step makes: it needs only a
// cluster with a sandbox runtime, so `podlab run` starts it early, beside the steps of the modules before.
export default defineScenario('limitations', [
  step({
    id: 'host-network',
    title: 'Host networking and the sandbox',
    timeout: 180_000,
    after: ['cluster-ready'],
    async run(ctx) {
      await applyAndWait(ctx, 'host-network.yaml', ['host-network'], decided);
    },
    async check(ctx) {
      const none = noSandbox(ctx);
      if (none) return none;
      const pod = await readPod(ctx, 'host-network');
      if (!pod) return fail({ expected: 'pod host-network', actual: 'no such pod', hint: `create it: ${APPLY('host-network.yaml')}` });
      const expected = "the sandboxed pod does not get the node's network: rejected (Kata on AKS) or given no host interfaces (gVisor)";
      if (pod.status?.phase !== 'Running') {
        ctx.evidence('status', podProblem(pod));
        ctx.evidence(
          'explanation',
          isKata(ctx)
            ? "Kata: a VM has its own network stack; sharing the node's network namespace is not supported, so the pod is refused"
            : "the runtime refused to start a sandbox in the node's network namespace",
        );
        return verdict(decided(pod), {
          expected,
          actual: `refused: ${podProblem(pod)}`,
          hint: decided(pod) ? undefined : 'the runtime has not decided yet: wait a few seconds, then `kubectl describe pod host-network -n $NS`',
        });
      }
      // It runs: then it must not see the node's interfaces.
      const { out } = await execText(ctx, 'host-network', 'cat /proc/net/dev');
      const interfaces = out
        .split('\n')
        .slice(2)
        .map((l) => l.split(':')[0]!.trim())
        .filter((i) => i && i !== 'lo');
      ctx.evidence('interfaces seen in the sandbox', interfaces);
      ctx.evidence('pod IP reported by the API', pod.status?.podIP);
      const hasLo = out.split('\n').some((l) => l.trim().startsWith('lo:'));
      if (interfaces.length === 0) {
        ctx.evidence(
          'explanation',
          isKata(ctx)
            ? 'the Kata guest started, but with no interface of the node'
            : `gVisor started the pod and the API reports the node's IP (${pod.status?.podIP}), but the Sentry's network stack has no interface of the node${hasLo ? ' (loopback only)' : ', not even loopback'}: the pod cannot use the node's network`,
        );
      }
      return verdict(interfaces.length === 0, {
        expected,
        actual: interfaces.length
          ? `sees host interfaces: ${interfaces.join(', ')}`
          : `running, with no network interface${hasLo ? ' but loopback' : ' at all'}`,
        hint: interfaces.length
          ? `this runtime gives a sandboxed pod the node's network (${interfaces.join(', ')}): the sandbox boundary is weaker than the lab assumes; delete the pod: \`kubectl delete pod host-network -n $NS\``
          : undefined,
      });
    },
  }),
  step({
    id: 'privileged-guest',
    title: 'Privileged applies inside the guest only',
    timeout: 180_000,
    after: ['cluster-ready'],
    async run(ctx) {
      await applyAndWait(ctx, 'privileged.yaml', ['privileged'], decided);
    },
    async check(ctx) {
      const none = noSandbox(ctx);
      if (none) return none;
      const pod = await readPod(ctx, 'privileged');
      if (!pod) return fail({ expected: 'pod privileged', actual: 'no such pod', hint: `create it: ${APPLY('privileged.yaml')}` });
      const expected = 'no host block device can be read from the privileged sandboxed pod';
      if (pod.status?.phase !== 'Running') {
        // On hosts that deny a capability a privileged container asks for (this lab's local cluster lacks
        // CAP_SYS_RESOURCE), the runtime may refuse the pod: that is also "no host device reachable".
        ctx.evidence('status', podProblem(pod));
        ctx.evidence(
          'explanation',
          'the privileged sandboxed pod did not start; a privileged container asks for every capability, and a runtime or host that cannot grant one refuses it',
        );
        return verdict(decided(pod), {
          expected,
          actual: `refused: ${podProblem(pod)}`,
          hint: decided(pod) ? undefined : 'the pod is still starting: wait, then `kubectl describe pod privileged -n $NS`',
        });
      }
      const script =
        'for d in /dev/vd? /dev/sd? /dev/nvme?n? /dev/xvd?; do [ -e "$d" ] || continue; if head -c 1 "$d" >/dev/null 2>&1; then echo "readable $d"; else echo "refused $d"; fi; done';
      const { out } = await execText(ctx, 'privileged', script);
      const lines = out.split('\n').filter(Boolean);
      const dev = (await execText(ctx, 'privileged', 'ls /dev')).out.split(/\s+/).filter(Boolean);
      const capEff = /CapEff:\s*([0-9a-f]+)/.exec((await execText(ctx, 'privileged', 'cat /proc/self/status')).out)?.[1];
      const CAP_SYS_RESOURCE = 24n;
      ctx.evidence('block devices', lines);
      const ttys = dev.filter((d) => /^tty\d+$/.test(d));
      ctx.evidence('/dev in the pod', [
        ...dev.filter((d) => !ttys.includes(d)),
        ...(ttys.length ? [`tty0..tty${ttys.length - 1} (${ttys.length} consoles)`] : []),
      ]);
      ctx.evidence(
        'effective capabilities',
        capEff ? { CapEff: capEff, CAP_SYS_RESOURCE: Boolean((BigInt(`0x${capEff}`) >> CAP_SYS_RESOURCE) & 1n) } : 'unknown',
      );
      ctx.evidence(
        'explanation',
        isKata(ctx)
          ? "Kata: /dev is the guest VM's; privileged grants devices and capabilities of the guest, not of the node"
          : "gVisor: the privileged pod starts (with every capability the host can grant) and /dev may list the node's device nodes, but the Sentry does not pass host devices through: opening them fails",
      );
      const readable = lines.filter((l) => l.startsWith('readable'));
      return verdict(readable.length === 0, {
        expected,
        actual: lines.length ? lines.join(', ') : 'no block device visible',
        hint: readable.length
          ? `the sandbox lets a privileged pod read host devices (${readable.join(', ')}): this runtime does not isolate devices; delete the pod: \`kubectl delete pod privileged -n $NS\``
          : undefined,
      });
    },
  }),
]);
