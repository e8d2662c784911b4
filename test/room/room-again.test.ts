// A room made where an earlier room is still going away: `room up` waits for a namespace that is being deleted
// instead of failing with "unable to create new content ... being terminated", and `room down` waits for the
// grader's namespace too, so that a `room up` right after it (the next rehearsal, the next day's room) just works.
import t from 'tap';
import { cluster, podlab } from '../helpers/room.js';

const prefix = `again-${process.pid}-`;
const dir = `${t.testdir()}/kubeconfigs`;
const HOLD = 'podlab.dev/test-hold';
const roomCmd = (verb: 'up' | 'down') =>
  podlab([
    'room',
    verb,
    'hello-pod',
    '--prefix',
    prefix,
    '--out',
    dir,
    ...(verb === 'up' ? ['--names', 'ana', '--duration', '1h'] : []),
  ]);

t.teardown(async () => {
  await roomCmd('down');
});

t.test('room up waits for its namespace while an earlier deletion still holds it', async (t) => {
  const namespace = `${prefix}ana`;
  await cluster.core.createNamespace({ body: { metadata: { name: namespace } } });
  const held = { metadata: { name: 'held', finalizers: [HOLD] } };
  await cluster.core.createNamespacedConfigMap({ namespace, body: held });
  await cluster.core.deleteNamespace({ name: namespace });
  const phase = (await cluster.core.readNamespace({ name: namespace })).status?.phase;
  t.equal(phase, 'Terminating', 'the namespace is being deleted, held by a finalizer');

  const up = roomCmd('up');
  const early = await Promise.race([up.then(() => 'ended'), new Promise((r) => setTimeout(() => r('waiting'), 3000))]);
  t.equal(early, 'waiting', 'room up waits rather than failing');
  await cluster.core.patchNamespacedConfigMap({
    name: 'held',
    namespace,
    body: [{ op: 'remove', path: '/metadata/finalizers' }],
  });
  const r = await up;
  t.equal(r.exitCode, 0, r.stderr);
  const ns = await cluster.core.readNamespace({ name: namespace });
  t.equal(ns.status?.phase, 'Active', 'the room has its namespace, made anew');
  t.equal(ns.metadata?.labels?.['podlab.dev/attendee'], 'ana', 'labelled as the attendee');
});

t.test(
  'room down, then room up at once: the grader is granted again, nothing half-deleted is in the way',
  async (t) => {
    const down = await roomCmd('down');
    t.equal(down.exitCode, 0, down.stderr);
    const grading = await cluster.core.listNamespace({ fieldSelector: 'metadata.name=podlab-grading' });
    t.same(
      grading.items.map((n) => n.status?.phase),
      [],
      'room down waited for the grader namespace to go (no other room uses it)',
    );
    const up = await roomCmd('up');
    t.equal(up.exitCode, 0, up.stderr);
    const sa = await cluster.core.readNamespacedServiceAccount({ name: 'podlab-grader', namespace: 'podlab-grading' });
    t.equal(sa.metadata?.name, 'podlab-grader', 'the grader account is there again');
  },
);
