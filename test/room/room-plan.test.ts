// `podlab room plan` on the embedded cluster and without one, and `room up` refusing a room the cluster cannot hold:
// the plan reads the node's allocatable and the sandbox RuntimeClass's overhead; one attendee more than it holds is
// refused (exit 4) before anything is made, and --force goes on.
import t from 'tap';
import { podlab, cluster } from '../helpers/room.js';

const prefix = `plan-${process.pid}-`;
const room = prefix.slice(0, -1);
type PlanJson = {
  holds: number;
  nodesNeeded: number | null;
  attendeesPerNode: number;
  overhead: { source: string; amount: { cpu: number; memory: number } };
  capacity: { nodes: Array<{ binds: { resource: string }; node: { name: string; cpu: number } }> };
};
const planJson = async (lab: string, ...more: string[]) => {
  const r = await podlab(['room', 'plan', lab, '--format', 'json', ...more]);
  return { r, p: JSON.parse(r.stdout || '{}') as PlanJson };
};

t.teardown(async () => {
  await podlab(['room', 'down', 'pod-sandboxing', '--prefix', prefix, '--out', `${t.testdirName}-kc`]);
});

t.test('room plan reads the node and the RuntimeClass overhead from the cluster', async (t) => {
  const node = (await cluster.core.listNode()).items[0]!;
  const { r, p } = await planJson('pod-sandboxing', '--attendees', '1');
  t.equal(r.exitCode, p.holds >= 1 ? 0 : 4, r.stderr);
  t.match(p.overhead.source, /overhead.podFixed of RuntimeClass gvisor, read from the cluster/);
  t.same(p.overhead.amount, { cpu: 50, memory: 64 * 2 ** 20 });
  t.equal(p.capacity.nodes[0]?.node.name, node.metadata?.name);
  t.equal(p.capacity.nodes[0]?.node.cpu, Number(node.status?.allocatable?.cpu) * 1000);
  const text = await podlab(['room', 'plan', 'pod-sandboxing', '--attendees', String(p.holds + 1)]);
  t.equal(text.exitCode, 4, 'a room larger than the cluster holds: exit 4');
  t.match(text.stdout, new RegExp(`this cluster holds ${p.holds} attendee\\(s\\)`));
  t.match(text.stdout, / binds: /);
});

t.test('planned for AKS without a cluster: the profile table and the size table', async (t) => {
  const { r, p } = await planJson(
    'hello-pod',
    '--attendees',
    '70',
    '--profile',
    'aks',
    '--node-size',
    'Standard_D2s_v3',
    '--kubeconfig',
    '/nonexistent',
  );
  t.equal(r.exitCode, 0, r.stderr);
  t.match(p.overhead.source, /considerations-pod-sandboxing/);
  t.equal(p.attendeesPerNode, 30, "hello-pod's one pod per attendee: the 30 pods of Azure CNI bind");
  t.equal(p.capacity.nodes[0]?.binds.resource, 'pods');
  t.equal(p.nodesNeeded, 3);
  const bad = await podlab([
    'room',
    'plan',
    'hello-pod',
    '--attendees',
    '2',
    '--profile',
    'aks',
    '--node-size',
    'Standard_X',
  ]);
  t.equal(bad.exitCode, 2);
  t.match(bad.stderr, /--node-size Standard_X: not in podlab's table/);
});

t.test('room up refuses one attendee more than the plan holds, before making anything; --force goes on', async (t) => {
  const { p } = await planJson('pod-sandboxing', '--attendees', '1');
  const n = String(p.holds + 1);
  const out = `${t.testdirName}-kc`;
  const up = (...more: string[]) =>
    podlab(['room', 'up', 'pod-sandboxing', '--attendees', n, '--prefix', prefix, '--out', out, ...more]);
  const refused = await up();
  t.equal(refused.exitCode, 4, refused.stderr);
  t.match(
    refused.stderr,
    new RegExp(`the cluster holds ${p.holds} attendee\\(s\\) of pod-sandboxing, not ${n}: .* binds: `),
  );
  t.match(refused.stderr, /room plan pod-sandboxing --attendees/);
  const none = await cluster.core.listNamespace({ labelSelector: `podlab.dev/room=${room}` });
  t.same(none.items, [], 'nothing was made');
  const forced = await up('--force');
  t.equal(forced.exitCode, 0, forced.stderr);
  t.match(forced.stderr, /--force: going on/);
  const made = await cluster.core.listNamespace({ labelSelector: `podlab.dev/room=${room}` });
  t.equal(made.items.length, Number(n));
});

t.test("room status: attendees, quota use, and a Pending pod with the scheduler's reason", async (t) => {
  const namespace = `${prefix}1`;
  await cluster.core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name: 'nowhere' },
      spec: {
        nodeSelector: { 'podlab.dev/no-such-node': 'true' },
        containers: [{ name: 'c', image: '127.0.0.1:5000/podlab-lab:1.0', command: ['sleep', '60'] }],
      },
    },
  });
  let r = await podlab(['room', 'status', 'pod-sandboxing', '--prefix', prefix]);
  for (let i = 0; i < 20 && !/nowhere: Unschedulable/.test(r.stdout); i++) {
    await new Promise((res) => setTimeout(res, 500));
    r = await podlab(['room', 'status', 'pod-sandboxing', '--prefix', prefix]);
  }
  t.equal(r.exitCode, 0, r.stderr);
  t.match(r.stdout, new RegExp(`^1 +${namespace} +0 running, 1 pending +pods 1/\\d+, requests.cpu \\d+m?/`, 'm'));
  t.match(r.stdout, /pod\(s\) Pending/);
  t.match(
    r.stdout,
    new RegExp(`${namespace}/nowhere: Unschedulable: 0/1 nodes are available: .*node affinity/selector`),
  );
  const json = await podlab(['room', 'status', 'pod-sandboxing', '--prefix', prefix, '--format', 'json']);
  const s = JSON.parse(json.stdout) as { attendees: Array<{ namespace: string; quota: Array<{ resource: string }> }> };
  t.same(
    s.attendees.map((a) => a.namespace),
    Array.from({ length: s.attendees.length }, (_, i) => `${prefix}${i + 1}`),
    'every attendee of the room, in order',
  );
  t.ok(s.attendees.length >= 2);
  t.ok(
    s.attendees[0]!.quota.some((q) => q.resource === 'limits.cpu'),
    'the quota rows come with it',
  );
});
