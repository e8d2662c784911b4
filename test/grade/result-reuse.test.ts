// Grading costs what changed, per attendee, on a room without a cluster (test/helpers/fake-room.ts): a namespace
// whose part of the snapshot is unchanged keeps its last result (no check, no exec); one that changed is checked
// again, and so is one whose check read past its part (an exec that failed); a full regrade checks everyone.
import t from 'tap';
import { join } from 'node:path';
import { Cohort } from '../../harness/src/grade/cohort.js';
import { planOf } from '../../harness/src/cli/common.js';
import { Journal } from '../../harness/src/progress/journal.js';
import type { GradeMatrix } from '../../harness/src/grade/matrix.js';
import { FakeRoom, namespace, runningPod, touch } from '../helpers/fake-room.js';

const plan = await planOf('hello-pod');
if (!plan) throw new Error('hello-pod does not plan');

/** Three attendees: `done` has its pod, `empty` and `other` have nothing yet. */
function roomOf(journal?: Journal) {
  const room = new FakeRoom();
  room.namespaces.push(...['done', 'empty', 'other'].map((n) => namespace(n, { room: 't' })));
  room.pods.push(runningPod('done', 'hello'));
  room.execAnswer = () => ({ code: 0, stdout: 'hello\n', stderr: '' });
  const runIds = new Map<string, string>();
  const cohort = new Cohort(plan!, {
    sources: [room.source],
    namespaces: 'room=t',
    concurrency: 2,
    execConcurrency: 2,
    signal: new AbortController().signal,
    journal,
    onResult: (attendee, r) => runIds.set(attendee, r.runId),
  });
  /** a pass that reads the room again first, and the attendees it checked (not reused) */
  const pass = async (o: { full?: boolean } = {}) => {
    const before = new Map(runIds);
    const m = await cohort.grade({ reload: true, ...o });
    const checked = [...runIds].filter(([who, id]) => before.get(who) !== id).map(([who]) => who);
    return { m, checked: checked.sort(), counts: cohort.lastPass() };
  };
  return { room, cohort, pass };
}

const cells = (m: GradeMatrix, who: string) =>
  Object.values(m.attendees.find((a) => a.namespace === who)!.cells).map((c) => c.status);

t.test('unchanged: reused, no check and no exec; changed: checked again', async (t) => {
  const { room, pass } = roomOf();
  const first = await pass();
  t.same(first.checked, ['done', 'empty', 'other']);
  t.same(cells(first.m, 'done'), ['done', 'done']);
  t.same(room.execs, ['done/hello echo hello']);
  const again = await pass();
  t.same(again.checked, [], 'nothing changed: every result reused');
  t.same(again.counts, { checked: 0, reused: 3 });
  t.same(cells(again.m, 'done'), ['done', 'done'], 'with the same cells');
  t.equal(room.execs.length, 1, 'and no exec');

  touch(room.pods[0]!); // the attendee changed their pod
  room.pods.push(runningPod('empty', 'hello')); // another made theirs
  const changed = await pass();
  t.same(changed.checked, ['done', 'empty'], 'the two namespaces that changed, and only those');
  t.same(cells(changed.m, 'empty'), ['done', 'done'], 'the new pod is seen');
  t.same(room.execs.slice(1).sort(), ['done/hello echo hello', 'empty/hello echo hello']);

  room.networkPolicies.push({ metadata: { name: 'deny', namespace: 'other', uid: 'np', resourceVersion: '1' } });
  t.same((await pass()).checked, ['other'], 'a NetworkPolicy is a change of its namespace');
  room.pods.splice(0, 1);
  const gone = await pass();
  t.same(gone.checked, ['done'], 'so is a pod deleted');
  t.same(cells(gone.m, 'done'), ['todo', 'todo']);
  touch(room.nodes[0]!);
  t.same((await pass()).checked, ['done', 'empty', 'other'], 'a node that changed: everyone is checked again');
});

t.test('a full regrade checks everyone and measures again', async (t) => {
  const { room, pass } = roomOf();
  await pass();
  const full = await pass({ full: true });
  t.same(full.checked, ['done', 'empty', 'other']);
  t.equal(room.execs.length, 2, 'the unchanged pod is exec’d again');
  t.same((await pass()).checked, [], 'and the pass after it reuses again');
});

t.test('a check whose exec failed is asked again, its pod unchanged', async (t) => {
  const { room, pass } = roomOf();
  room.execAnswer = () => ({ code: 1, stdout: '', stderr: 'not yet' });
  t.same(cells((await pass()).m, 'done'), ['done', 'todo']);
  room.execAnswer = () => ({ code: 0, stdout: 'hello\n', stderr: '' });
  const next = await pass();
  t.same(next.checked, ['done'], 'only that attendee');
  t.same(cells(next.m, 'done'), ['done', 'done'], 'and what the exec lacked is seen fixed');
});

t.test("the record: this grader's own appends keep results; another grader's append is a change", async (t) => {
  const file = join(t.testdir(), 'progress.jsonl');
  const { room, pass } = roomOf(new Journal(file).check());
  await pass();
  t.same((await pass()).checked, [], 'what this grader recorded it had seen: nothing to ask again');
  const other = new Journal(file);
  const uid = room.namespaces.find((n) => n.metadata?.name === 'other')!.metadata!.uid!;
  other.record({ cluster: 'https://fake-room.invalid', namespace: 'other', uid }, 'hello-pod', [
    { step: 'deploy-pod' },
  ]);
  const next = await pass();
  t.same(next.checked, ['other'], 'the attendee another grader saw do a step, and only that attendee');
  t.equal(next.m.attendees.find((a) => a.namespace === 'other')!.cells['deploy-pod']?.status, 'earlier');
});
