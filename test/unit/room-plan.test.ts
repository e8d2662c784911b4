// The room plan's arithmetic (pure): one attendee's peaks from a timeline, a node's room per resource, which resource
// binds, the AKS size table, the nodes a room needs, and the refusal `room up` prints.
import t from 'tap';
import { budgetOf } from '../../harness/src/room/budget.js';
import type { LabPod, Timeline } from '../../harness/src/room/timeline.js';
import { capacityOf, nodesNeeded, type NodeShape } from '../../harness/src/room/capacity.js';
import { aksNode } from '../../harness/src/room/node-sizes.js';
import { refusal, planText } from '../../harness/src/room/plan-text.js';
import type { RoomPlan } from '../../harness/src/room/room-plan.js';
import { UsageError } from '../../harness/src/errors.js';

const MI = 2 ** 20;
const GI = 2 ** 30;
const pod = (name: string, o: Partial<LabPod> = {}): LabPod => ({
  name,
  requests: { cpu: 100, memory: 64 * MI },
  limits: { cpu: 500, memory: 128 * MI },
  limited: { cpu: true, memory: true },
  containers: 1,
  sandboxed: false,
  burns: false,
  manifest: 'm.yaml',
  ...o,
});
// three steps: two idle pods; a third that burns (stress-ng in it); the burner gone, one sandboxed pod busy by exec
const timeline: Timeline = {
  kinds: new Set(['v1/Pod']),
  moments: [
    { step: 'deploy', alive: [pod('a'), pod('b')], busy: new Set() },
    {
      step: 'noisy',
      alive: [pod('a'), pod('b'), pod('noisy', { burns: true, limits: { cpu: 1000, memory: 256 * MI } })],
      busy: new Set(),
    },
    { step: 'exec', alive: [pod('a'), pod('s', { sandboxed: true })], busy: new Set(['s']) },
  ],
};
const overhead = { cpu: 50, memory: 64 * MI };
const node = (o: Partial<NodeShape> = {}): NodeShape => ({
  name: 'n1',
  cpu: 2000,
  memory: 8 * GI,
  pods: 110,
  used: { cpu: 0, memory: 0, pods: 0 },
  ...o,
});

t.test('budget: each peak at its own step, overhead on sandboxed pods, bursts at limits', async (t) => {
  const b = budgetOf(timeline, overhead);
  t.same(b.pods, { value: 3, step: 'noisy' });
  t.same(b.requests.cpu, { value: 300, step: 'noisy' });
  t.same(b.limits.cpu, { value: 2000, step: 'noisy' });
  t.same(b.burstCpu, { value: 1000, step: 'noisy' }, 'the burner at its CPU limit, the idle pods not at all');
  t.same(b.burstMemory, { value: 64 * MI + 64 * MI + 256 * MI, step: 'noisy' }, 'the burner at its memory limit');
  t.equal(budgetOf(timeline, { cpu: 0, memory: 0 }).burstCpu.value, 1000);
  // at `exec` the sandboxed pod is busy: its limit plus the overhead is 550m, below the noisy step's 1000m
  const onlyExec = budgetOf({ ...timeline, moments: [timeline.moments[2]!] }, overhead);
  t.same(onlyExec.burstCpu, { value: 550, step: 'exec' }, 'a pod made busy by exec bursts with its overhead');
});

t.test('capacity: the tightest resource binds, per node; the cluster’s own pods are taken off', async (t) => {
  const b = budgetOf(timeline, overhead);
  const c = capacityOf(b, [node()]);
  t.equal(c.holds, 2, '2000m / 1000m burst = 2 attendees');
  t.equal(c.nodes[0]!.binds.resource, 'cpu burst');
  t.equal(capacityOf(b, [node({ pods: 7 })]).nodes[0]!.binds.resource, 'pods', '7 pods / 3 = 2, then pods bind');
  t.equal(capacityOf(b, [node({ pods: 7 })]).holds, 2);
  const crowded = capacityOf(b, [node({ used: { cpu: 900, memory: 0, pods: 10 } })]);
  t.equal(crowded.holds, 1, 'a DaemonSet requesting 900m leaves 1100m: one burst of 1000m');
  t.equal(capacityOf(b, [node({ memory: 700 * MI })]).nodes[0]!.binds.resource, 'memory burst');
  t.equal(capacityOf(b, [node(), node({ name: 'n2', cpu: 4000 })]).holds, 6, 'nodes add up: 2 + 4');
  t.equal(capacityOf(b, [node({ cpu: 500 })]).holds, 0, 'a node smaller than one burst holds nobody');
});

t.test('nodes needed', async (t) => {
  t.equal(nodesNeeded({ attendees: 2 }, 20), 10);
  t.equal(nodesNeeded({ attendees: 3 }, 20), 7);
  t.equal(nodesNeeded({ attendees: 0 }, 1), Infinity);
});

t.test('AKS sizes: vCPUs and memory less what AKS reserves, 30 pods with Azure CNI', async (t) => {
  const d4 = aksNode('Standard_D4s_v3');
  t.equal(d4.cpu, 4000 - 140, 'kube-reserved CPU for 4 cores is 140m');
  t.equal(d4.memory, 16 * GI - (20 * 30 + 50) * MI - 100 * MI, 'min(20 MB x 30 pods + 50 MB, 25%) + 100Mi eviction');
  t.equal(d4.pods, 30);
  t.equal(aksNode('standard_d4s_v3', 110).pods, 110, 'case-insensitive; --max-pods');
  const d2 = aksNode('Standard_D2s_v3', 250);
  t.equal(d2.memory, 8 * GI - 0.25 * 8 * GI - 100 * MI, '25% of memory when it is the smaller');
  t.throws(() => aksNode('Standard_B2s'), /not in podlab's table of AKS sizes \(Standard_D2s_v3, /);
  t.ok(
    (() => {
      try {
        aksNode('x');
      } catch (e) {
        return e instanceof UsageError;
      }
    })(),
    'a usage error: exit 2',
  );
});

t.test('the text and the refusal name the binding resource and its numbers', async (t) => {
  const b = budgetOf(timeline, overhead);
  const p: RoomPlan = {
    lab: 'x',
    platform: 'other',
    overhead: { amount: overhead, source: 'read from the cluster' },
    budget: b,
    capacity: capacityOf(b, [node()]),
    nodes: {
      cluster: {
        nodes: [node()],
        skipped: [{ name: 'cp', why: 'tainted a:NoSchedule' }],
        others: { pods: 0, cpu: 0, memory: 0 },
      },
    },
  };
  t.equal(refusal(p, 2), undefined, 'a room the cluster holds is not refused');
  const no = refusal(p, 3) ?? '';
  t.match(no, /holds 2 attendee\(s\) of x, not 3/);
  t.match(no, /cpu burst binds: 1 CPU per attendee \(at step noisy\), 2 CPU free on n1/);
  t.match(no, /--force/);
  const text = planText(p, 5).join('\n');
  t.match(text, /cp: left out, tainted a:NoSchedule/);
  t.match(text, /this cluster holds 2 attendee\(s\); 5 need 3 node\(s\) like n1, it has 1/);
  const sized = { ...p, nodes: { size: 'Standard_D4s_v3' }, capacity: capacityOf(b, [aksNode('Standard_D4s_v3')]) };
  t.match(
    planText(sized, 20).join('\n'),
    /--node-vm-size Standard_D4s_v3 --node-count 7/,
    '3860m / 1000m = 3 per node',
  );
});
