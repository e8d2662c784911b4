// Two reloads of one kind can overlap (a watch's reload while a pass reloads, two reloads a debounce apart): the
// snapshot keeps the list read last by the API server, whichever answer arrives last.
import t from 'tap';
import { Snapshot } from '../../harness/src/grade/snapshot.js';
import { FakeRoom, namespace, runningPod } from '../helpers/fake-room.js';

const podNames = (s: Snapshot) => (s.items('pods') ?? []).map((p) => p.metadata?.name);

t.test('a reload that answers after a newer one is dropped', async (t) => {
  const room = new FakeRoom();
  room.namespaces.push(namespace('a'));
  const snapshot = new Snapshot(room.cluster, () => ['a']);
  await snapshot.load();
  t.same(podNames(snapshot), []);

  let answer!: () => void;
  room.delay.pods = new Promise<void>((resolve) => (answer = resolve));
  const older = snapshot.load(['pods']); // lists now (no pod yet), answers late
  room.delay.pods = undefined;
  room.pods.push(runningPod('a', 'hello'));
  await snapshot.load(['pods']); // lists after the pod was made, answers at once
  t.same(podNames(snapshot), ['hello'], 'the newer list is kept');
  answer();
  await older;
  t.same(podNames(snapshot), ['hello'], 'the older list, answering last, did not overwrite it');

  await snapshot.load(['pods']);
  room.pods.splice(0, 1);
  await snapshot.load(['pods']);
  t.same(podNames(snapshot), [], 'reloads in order: the last one is kept');
});
