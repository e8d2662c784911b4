// runOrdered: how a run's steps start and end, driven by hand: overlap of `after` steps, a step that runs alone,
// errors, and empty plans. (Which steps group and what each waits for: schedule.test.ts.)
import t from 'tap';
import { runOrdered, type Ordering } from '../../harness/src/runner/schedule.js';

/** Drives runOrdered with steps the test ends by hand, and records what starts and ends when. */
function harness(o: Ordering) {
  const events: string[] = [];
  const pending = new Map<number, { resolve: () => void; reject: (e: unknown) => void }>();
  const done = runOrdered(
    o,
    (i) =>
      new Promise<void>((resolve, reject) => {
        events.push(`start ${i}`);
        pending.set(i, { resolve, reject });
      }),
  );
  const settle = async () => {
    for (let k = 0; k < 5; k++) await Promise.resolve();
  };
  return {
    events,
    done,
    running: () => [...pending.keys()].sort(),
    async end(i: number, error?: unknown) {
      const p = pending.get(i);
      if (!p) throw new Error(`step ${i} is not running (events: ${events.join(', ')})`);
      pending.delete(i);
      events.push(`end ${i}`);
      if (error) p.reject(error);
      else p.resolve();
      await settle();
    },
  };
}
const order = (waitsFor: number[][], alone: boolean[]): Ordering => ({
  waitsFor,
  alone,
  needs: waitsFor.map(() => []),
});

t.test(
  'runOrdered: `after` steps overlap each other; a step that runs alone waits for them and blocks later ones',
  async (t) => {
    // 0 alone; 1 and 3 after 0; 2 alone (waits for 0 and 1); 4 after 0, but later in the plan than 2.
    const h = harness(order([[], [0], [0, 1], [0], [0]], [true, false, true, false, false]));
    t.same(h.running(), [0], 'the first step runs alone');
    await h.end(0);
    t.same(h.running(), [1, 3, 4], 'every step that needs only step 0 starts at once');
    await h.end(1);
    t.same(h.running(), [3, 4], 'step 2 is ready but runs alone: it waits for 3 and 4');
    await h.end(3);
    await h.end(4);
    t.same(h.running(), [2], 'then it starts, alone');
    await h.end(2);
    await h.done;
    t.same(h.events, [
      'start 0',
      'end 0',
      'start 1',
      'start 3',
      'start 4',
      'end 1',
      'end 3',
      'end 4',
      'start 2',
      'end 2',
    ]);
  },
);

t.test('runOrdered: a ready step that runs alone is not starved by later steps', async (t) => {
  // 0 alone; 1 after 0; 2 alone; 3 after 1 (becomes ready when 1 ends, at the same time as 2).
  const h = harness(order([[], [0], [0, 1], [1]], [true, false, true, false]));
  await h.end(0);
  await h.end(1);
  t.same(h.running(), [2], 'the alone step takes its turn first');
  await h.end(2);
  t.same(h.running(), [3]);
  await h.end(3);
  await h.done;
});

t.test(
  'runOrdered: after an error nothing more starts, and the error comes out once the running steps end',
  async (t) => {
    const h = harness(order([[], [], [0, 1]], [false, false, true]));
    t.same(h.running(), [0, 1]);
    let outcome: unknown = 'pending';
    h.done.then(
      () => {
        outcome = 'resolved';
      },
      (e: unknown) => {
        outcome = e;
      },
    );
    await h.end(0, new Error('boom'));
    t.equal(outcome, 'pending', 'still waiting for step 1');
    await h.end(1);
    t.match(outcome, { message: 'boom' });
    t.notOk(h.events.includes('start 2'), 'step 2 never started');
  },
);

t.test(
  'runOrdered: an empty plan ends at once; a step that throws synchronously is an error, not a hang',
  async (t) => {
    await runOrdered(order([], []), async () => {});
    await t.rejects(
      runOrdered(order([[]], [true]), () => {
        throw new Error('sync');
      }),
      { message: 'sync' },
    );
  },
);
