// privileged-guest: a privileged sandboxed pod gets the sandbox's devices, not the node's. The node's block
// devices are read from `node-view`, a default-runtime pod on the same node, whose /proc/partitions is the node's.
import type { V1Pod } from '@kubernetes/client-node';
import { fail, nodeDevicesAmong, parsePartitions, podProblem, profileFor, step, verdict } from 'podlab/scenario';
import type { BlockDevice, StepContext } from 'podlab/scenario';
import { APPLY, applyAndWait, execText, noSandbox, readPod, requireRunning, running } from './lib.js';

// Every block device the sandbox lists (its own /proc/partitions and the usual /dev names), whether one byte of
// it can be read, and its size in KiB where sysfs gives it (512-byte sectors / 2).
const PROBE = `for n in $( (awk 'NR>2 && $4 {print $4}' /proc/partitions 2>/dev/null; cd /dev && ls -d vd? sd? nvme?n? xvd? pmem? 2>/dev/null) | sort -u); do
  [ -e "/dev/$n" ] || continue; s=$(cat /sys/class/block/$n/size 2>/dev/null)
  if head -c 1 "/dev/$n" >/dev/null 2>&1; then echo "readable $n $s"; else echo "refused $n $s"; fi
done; true`;

async function probe(ctx: StepContext): Promise<{ readable: BlockDevice[]; refused: string[] }> {
  const lines = (await execText(ctx, 'privileged', PROBE)).out
    .split('\n')
    .filter((l) => /^(readable|refused) /.test(l));
  const readable = lines
    .filter((l) => l.startsWith('readable'))
    .map((l) => {
      const [, name, sectors] = l.split(' ');
      return { name: name!, ...(sectors ? { kib: Number(sectors) / 2 } : {}) };
    });
  return { readable, refused: lines.filter((l) => l.startsWith('refused')).map((l) => l.split(' ')[1]!) };
}

export const privilegedDevicesCheck = (decided: (p: V1Pod) => boolean) =>
  step({
    id: 'privileged-guest',
    title: 'Privileged applies inside the guest only',
    timeout: 180_000,
    after: ['cluster-ready'],
    async run(ctx) {
      await applyAndWait(ctx, 'privileged.yaml', ['privileged'], decided);
      await applyAndWait(ctx, 'node-view.yaml', ['node-view'], running);
    },
    async check(ctx) {
      const none = noSandbox(ctx);
      if (none) return none;
      const pod = await readPod(ctx, 'privileged');
      if (!pod)
        return fail({
          expected: 'pod privileged',
          actual: 'no such pod',
          hint: `create it: ${APPLY('privileged.yaml')}`,
        });
      const expected = "no block device of the node's can be read from the privileged sandboxed pod";
      const profile = profileFor(ctx.sandbox);
      if (profile) ctx.evidence(`privileged on ${profile.id}`, profile.privilegedDevices);
      if (pod.status?.phase !== 'Running') {
        // A runtime or host that cannot grant every capability a privileged container asks for may refuse it
        // (this lab's local cluster lacks CAP_SYS_RESOURCE): that is also "no host device reachable".
        ctx.evidence('status', podProblem(pod));
        return verdict(decided(pod), {
          expected,
          actual: `refused: ${podProblem(pod)}`,
          hint: decided(pod)
            ? undefined
            : 'the pod is still starting: wait, then `kubectl describe pod privileged -n $NS`',
        });
      }
      const viewProblem = await requireRunning(ctx, [['node-view', 'node-view.yaml']]);
      if (viewProblem) return viewProblem;
      const view = await readPod(ctx, 'node-view');
      if (view?.spec?.nodeName !== pod.spec?.nodeName) {
        return fail({
          expected: 'node-view on the node of pod privileged',
          actual: { privileged: pod.spec?.nodeName, 'node-view': view?.spec?.nodeName },
          hint: `recreate node-view after privileged runs, so that its podAffinity puts it beside it: \`kubectl delete pod node-view -n $NS\`, then ${APPLY('node-view.yaml')}`,
        });
      }
      const nodeDevices = parsePartitions((await execText(ctx, 'node-view', 'cat /proc/partitions')).out);
      const { readable, refused } = await probe(ctx);
      const capEff = /CapEff:\s*([0-9a-f]+)/.exec(
        (await execText(ctx, 'privileged', 'cat /proc/self/status')).out,
      )?.[1];
      const found = nodeDevicesAmong(readable, nodeDevices);
      const show = (ds: BlockDevice[]) => ds.map((d) => `${d.name}${d.kib ? ` (${Math.round(d.kib / 1024)}Mi)` : ''}`);
      ctx.evidence("the node's block devices (node-view /proc/partitions)", show(nodeDevices));
      ctx.evidence('readable in the sandbox', show(readable));
      ctx.evidence('listed but refused in the sandbox', refused);
      ctx.evidence('effective capabilities', capEff ?? 'unknown');
      return verdict(found.length === 0, {
        expected,
        actual: found.length
          ? `the node's ${show(found).join(', ')} readable`
          : `readable: ${show(readable).join(', ') || 'none'} (none of them the node's); refused: ${refused.join(', ') || 'none'}`,
        hint: `the sandbox lets a privileged pod read the node's devices (${show(found).join(', ')}): on Kata, containerd's privileged_without_host_devices is off; delete the pod: \`kubectl delete pod privileged -n $NS\``,
      });
    },
  });
