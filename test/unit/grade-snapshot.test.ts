// Pure logic of grading from a snapshot: selectors evaluated in memory, reads routed to the snapshot, execs limited.
// The cluster here is a stand-in object (no API involved); the real cluster path is test/grade/room.test.ts.
import t from 'tap';
import pLimit from 'p-limit';
import type { KubernetesObject } from '@kubernetes/client-node';
import { fieldMatcher, labelMatcher } from '../../harness/src/grade/selectors.js';
import { Snapshot } from '../../harness/src/grade/snapshot.js';
import { snapshotView } from '../../harness/src/grade/view.js';
import { ExecTimeout } from '../../harness/src/k8s/exec.js';
import type { Cluster } from '../../harness/src/k8s/cluster.js';
import { newStats } from '../../harness/src/k8s/counted.js';

t.test('label selectors', async (t) => {
  const l = { app: 'web', tier: 'front', 'app.kubernetes.io/part-of': 'pod-sandboxing' };
  const cases: Array<[string, boolean | undefined]> = [
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app=db', false],
    ['app=web,tier=front', true],
    ['app=web,tier=back', false],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['tier in (front,back)', true],
    ['tier notin (front)', false],
    ['missing notin (x)', true],
    ['app.kubernetes.io/part-of=pod-sandboxing', true],
    ['app=web,tier in (back, front)', true],
    ['app=web,tier in (back)', false],
    ['weird >< syntax', undefined],
  ];
  for (const [sel, want] of cases) {
    const m = labelMatcher(sel);
    t.equal(m ? m(l) : undefined, want, `"${sel}"`);
  }
  t.equal(labelMatcher('app=web')!(undefined), false, 'an object without labels');
});

t.test('field selectors on name and namespace; anything else goes to the server', async (t) => {
  const o: KubernetesObject = { metadata: { name: 'a', namespace: 'n' } };
  t.equal(fieldMatcher('metadata.name=a')!(o), true);
  t.equal(fieldMatcher('metadata.name=a,metadata.namespace=m')!(o), false);
  t.equal(fieldMatcher('metadata.name!=a')!(o), false);
  t.equal(fieldMatcher('status.phase=Running'), undefined);
});

const pod = (ns: string, name: string, labels: Record<string, string> = {}) => ({
  metadata: { namespace: ns, name, labels },
});

function standIn(calls: string[]) {
  const list = (what: string, items: unknown[]) => async () => {
    calls.push(what);
    return { metadata: { resourceVersion: '1' }, items };
  };
  return {
    stats: newStats(),
    retries: [],
    core: {
      listNamespace: list('namespaces', [{ metadata: { name: 'ana' } }]),
      listNode: list('nodes', [{ metadata: { name: 'node1', labels: { pool: 'kata' } } }]),
      listPodForAllNamespaces: list('pods', [
        pod('ana', 'sandboxed', { app: 'x' }),
        pod('ana', 'normal'),
        pod('bo', 'sandboxed'),
      ]),
      readNamespacedPod: async () => {
        calls.push('server readNamespacedPod');
        return {};
      },
      readNamespace: async () => {
        calls.push('server readNamespace');
        return {};
      },
      listNamespacedPod: async () => {
        calls.push('server listNamespacedPod');
        return { items: ['from server'] };
      },
      readNamespacedConfigMap: async () => {
        calls.push('server readNamespacedConfigMap');
        return { data: {} };
      },
    },
    node: { listRuntimeClass: list('runtimeclasses', [{ metadata: { name: 'gvisor' }, handler: 'runsc' }]) },
    networking: { listNetworkPolicyForAllNamespaces: list('networkpolicies', []) },
    exec: async function (this: Cluster) {
      return { stdout: '', stderr: '', code: 0 };
    },
  };
}

t.test('reads come from the snapshot; what it cannot answer goes to the server', async (t) => {
  const calls: string[] = [];
  const c = standIn(calls) as unknown as Cluster;
  const snap = new Snapshot(c, () => ['ana']);
  await snap.load();
  t.same(calls.sort(), ['namespaces', 'networkpolicies', 'nodes', 'pods', 'runtimeclasses'], 'one list per kind');
  calls.length = 0;
  const view = snapshotView(c, snap, { limit: pLimit(2), timeoutMs: 20_000, hung: new Set() });
  t.equal((await view.core.readNamespacedPod({ name: 'sandboxed', namespace: 'bo' })).metadata?.namespace, 'bo');
  await t.rejects(
    view.core.readNamespacedPod({ name: 'nope', namespace: 'ana' }),
    { code: 404 },
    'a missing object is a 404, like the server says',
  );
  await t.rejects(view.core.readNamespace({ name: 'zed' }), { code: 404 });
  t.same(
    (await view.core.listNamespacedPod({ namespace: 'ana' })).items.map((p) => p.metadata?.name),
    ['sandboxed', 'normal'],
  );
  t.same(
    (await view.core.listNamespacedPod({ namespace: 'ana', labelSelector: 'app=x' })).items.map(
      (p) => p.metadata?.name,
    ),
    ['sandboxed'],
  );
  t.same((await view.core.listNode({ labelSelector: 'pool=kata' })).items.length, 1);
  t.same(
    (await view.node.listRuntimeClass()).items.map((r) => r.handler),
    ['runsc'],
  );
  t.same(calls, [], 'none of those reached the server');
  t.same(
    (await view.core.listNamespacedPod({ namespace: 'ana', fieldSelector: 'status.phase=Running' })).items,
    ['from server'],
    'a selector the snapshot cannot evaluate',
  );
  await view.core.readNamespacedConfigMap({ name: 'x', namespace: 'ana' });
  t.same(calls, ['server listNamespacedPod', 'server readNamespacedConfigMap']);
});

t.test('a grader forbidden to list across namespaces lists in each attendee namespace', async (t) => {
  const calls: string[] = [];
  const c = standIn(calls) as unknown as { core: Record<string, unknown> };
  c.core.listPodForAllNamespaces = async () => {
    throw Object.assign(new Error('HTTP 403'), { code: 403 });
  };
  c.core.listNamespacedPod = async ({ namespace }: { namespace: string }) => {
    calls.push(`pods in ${namespace}`);
    return { items: [pod(namespace, 'p')] };
  };
  const snap = new Snapshot(c as unknown as Cluster, () => ['ana', 'bo']);
  await snap.load(['pods']);
  t.same(calls, ['pods in ana', 'pods in bo']);
  t.same(
    snap.items('pods')?.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`),
    ['ana/p', 'bo/p'],
  );
});

t.test('execs across the room are bounded by the limit', async (t) => {
  let running = 0;
  let peak = 0;
  const c = standIn([]) as unknown as { exec: unknown };
  c.exec = async () => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 20));
    running--;
    return { stdout: 'ok', stderr: '', code: 0 };
  };
  const snap = new Snapshot(c as unknown as Cluster, () => []);
  const view = snapshotView(c as unknown as Cluster, snap, { limit: pLimit(3), timeoutMs: 20_000, hung: new Set() });
  const results = await Promise.all(Array.from({ length: 12 }, (_, i) => view.exec('ana', `p${i}`, ['uname', '-r'])));
  t.equal(results.length, 12);
  t.ok(results.every((r) => r.stdout === 'ok'));
  t.equal(peak, 3, 'never more than 3 at once');
});

t.test("an exec that hangs costs its namespace one time limit per pass, and no one else's", async (t) => {
  const asked: string[] = [];
  const c = standIn([]) as unknown as { exec: unknown };
  c.exec = async (ns: string, pod: string, _argv: string[], opts: { timeoutMs: number }) => {
    asked.push(`${ns}/${pod}:${opts.timeoutMs}`);
    if (ns === 'bo') throw new ExecTimeout(`exec in ${ns}/${pod} timed out after ${opts.timeoutMs / 1000}s`);
    return { stdout: 'ok', stderr: '', code: 0 };
  };
  const snap = new Snapshot(c as unknown as Cluster, () => []);
  const bounds = { limit: pLimit(2), timeoutMs: 50, hung: new Set<string>() };
  const view = snapshotView(c as unknown as Cluster, snap, bounds);
  await t.rejects(view.exec('bo', 'p1', ['x'], { timeoutMs: 60_000 }), /timed out after 0.05s/);
  await t.rejects(view.exec('bo', 'p2', ['x']), /not asked: an earlier exec in bo did not end within 0.05s/);
  t.same((await view.exec('ana', 'p1', ['x'], { timeoutMs: 10 })).stdout, 'ok');
  t.same(asked, ['bo/p1:50', 'ana/p1:10'], 'a check may ask for less time than grading allows, never more');
  bounds.hung.clear();
  await t.rejects(view.exec('bo', 'p2', ['x']), /timed out/, 'asked again on the next pass');
});
