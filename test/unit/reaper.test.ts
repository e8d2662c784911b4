// Which runs count as abandoned (pure logic over a namespace list): a lease two lengths old, a run none of
// whose namespaces is live, and never a kept run or one already being deleted.
import t from 'tap';
import type { V1Namespace } from '@kubernetes/client-node';
import { abandonedRuns } from '../../harness/src/runner/reaper.js';
import type { Cluster } from '../../harness/src/k8s/cluster.js';

const now = Date.parse('2026-11-30T12:00:00Z');
const ago = (s: number) => new Date(now - s * 1000).toISOString();
const ns = (
  name: string,
  run: string,
  annotations: Record<string, string> = {},
  extra: Partial<V1Namespace['metadata']> = {},
): V1Namespace => ({
  metadata: {
    name,
    labels: { 'app.kubernetes.io/managed-by': 'podlab', 'podlab.dev/run': run, 'podlab.dev/lab': 'lab' },
    annotations,
    creationTimestamp: new Date(now - 3600_000),
    ...extra,
  },
});
const lease = (renewedSecondsAgo: number, seconds = 60) => ({
  'podlab.dev/lease-renewed': ago(renewedSecondsAgo),
  'podlab.dev/lease-seconds': String(seconds),
});
const fake = (items: V1Namespace[]) => ({ core: { listNamespace: async () => ({ items }) } }) as unknown as Cluster;

t.test('lapsed after two lengths without a renewal, live before', async (t) => {
  const runs = await abandonedRuns(
    fake([ns('a', 'r1', lease(121)), ns('b', 'r2', lease(119)), ns('c', 'r3', lease(7, 3))]),
    now,
  );
  t.same(
    runs.map((r) => r.runId),
    ['r1', 'r3'],
  );
  t.same(runs[0], { runId: 'r1', lab: 'lab', namespaces: ['a'], lastSeen: ago(121) });
});

t.test('a run with one live namespace is live, all of its namespaces', async (t) => {
  const runs = await abandonedRuns(fake([ns('main', 'r1', lease(300)), ns('made-by-text', 'r1', lease(10))]), now);
  t.same(runs, []);
});

t.test(
  'kept runs, namespaces being deleted, and young unleased ones are left alone; old unleased ones are not',
  async (t) => {
    const runs = await abandonedRuns(
      fake([
        ns('kept', 'r1', { ...lease(9999), 'podlab.dev/kept': ago(9999) }),
        ns('going', 'r2', lease(9999), { deletionTimestamp: new Date(now) }),
        ns('young', 'r3', {}, { creationTimestamp: new Date(now - 60_000) }),
        ns('old', 'r4', {}, { creationTimestamp: new Date(now - 3600_000) }),
      ]),
      now,
    );
    t.same(
      runs.map((r) => r.runId),
      ['r4'],
    );
  },
);
