import { defineScenario, step, podProblem, fail, profileFor, skip, verdict } from 'podlab/scenario';
import { APPLY, applyAndWait, execText, noSandbox, readPod } from './lib.js';
import { privilegedDevicesCheck } from './devices.js';
import type { V1Pod } from '@kubernetes/client-node';

/** Running, or given up on: either way the runtime has decided. */
const decided = (p: V1Pod) =>
  p.status?.phase === 'Running' ||
  p.status?.phase === 'Failed' ||
  Boolean(
    p.status?.containerStatuses?.some((c) =>
      ['CreateContainerError', 'RunContainerError', 'CrashLoopBackOff'].includes(c.state?.waiting?.reason ?? ''),
    ),
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
      // Where hostNetwork may break the node's networking (Kata), only an instructor tries it, on a node of its own.
      if (profileFor(ctx.sandbox)?.hostNetwork.attendeeSafe === false) return;
      await applyAndWait(ctx, 'host-network.yaml', ['host-network'], decided);
    },
    async check(ctx) {
      const none = noSandbox(ctx);
      if (none) return none;
      const profile = profileFor(ctx.sandbox);
      const pod = await readPod(ctx, 'host-network');
      if (!pod && profile?.hostNetwork.attendeeSafe === false) {
        return skip(
          `instructor-only on ${profile.id}: hostNetwork with this runtime ${profile.hostNetwork.behaviour} (Kata Containers, Limitations: "docker --net=host")`,
        );
      }
      if (!pod)
        return fail({
          expected: 'pod host-network',
          actual: 'no such pod',
          hint: `create it: ${APPLY('host-network.yaml')}`,
        });
      if (profile) ctx.evidence(`hostNetwork on ${profile.id}`, profile.hostNetwork.behaviour);
      const expected =
        "the sandboxed pod does not get the node's network: rejected (Kata on AKS) or given no host interfaces (gVisor)";
      if (pod.status?.phase !== 'Running') {
        ctx.evidence('status', podProblem(pod));
        ctx.evidence('explanation', "the runtime refused to start a sandbox in the node's network namespace");
        return verdict(decided(pod), {
          expected,
          actual: `refused: ${podProblem(pod)}`,
          hint: decided(pod)
            ? undefined
            : 'the runtime has not decided yet: wait a few seconds, then `kubectl describe pod host-network -n $NS`',
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
          `the pod started and the API reports the node's IP (${pod.status?.podIP}), but the sandbox's network stack has no interface of the node${hasLo ? ' (loopback only)' : ', not even loopback'}: the pod cannot use the node's network`,
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
  privilegedDevicesCheck(decided),
]);
