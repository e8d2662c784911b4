// The room at a glance, computed from a matrix (pure logic).
import t from 'tap';
import { roomStats, stuckOn } from '../../harness/src/grade/room-stats.js';
import type { GradeMatrix } from '../../harness/src/grade/matrix.js';

const at = (min: number) => new Date(Date.parse('2026-11-30T10:00:00Z') + min * 60_000).toISOString();
const m: GradeMatrix = {
  lab: 'lab',
  generatedAt: at(60),
  steps: ['a', 'b', 'c'].map((id) => ({ id, module: 'm', weight: 1 })),
  attendees: [
    {
      attendee: 'ana',
      namespace: 'ana',
      reachable: true,
      score: 3,
      maxScore: 3,
      cells: {
        a: { status: 'done', at: at(0) },
        b: { status: 'earlier', at: at(10) },
        c: { status: 'done', at: at(30) },
      },
    },
    {
      attendee: 'bo',
      namespace: 'bo',
      reachable: true,
      score: 2,
      maxScore: 3,
      cells: { a: { status: 'done', at: at(5) }, b: { status: 'done', at: at(25) }, c: { status: 'todo' } },
    },
    {
      attendee: 'cy',
      namespace: 'cy',
      reachable: true,
      score: 1,
      maxScore: 3,
      cells: { a: { status: 'done', at: at(2) }, b: { status: 'todo' }, c: { status: 'todo' } },
    },
    { attendee: 'zoe', namespace: 'zoe', reachable: false, error: 'gone', score: 0, maxScore: 0, cells: {} },
  ],
};

t.test('per step: how many did it (now or earlier), and the median time from their first step', async (t) => {
  const r = roomStats(m, Date.parse(at(60)));
  t.equal(r.attendees, 3, 'the unreachable attendee is not counted');
  t.same(r.steps, [
    { id: 'a', done: 3, medianFromStartMs: 0 },
    { id: 'b', done: 2, medianFromStartMs: 15 * 60_000, stuck: { attendee: 'cy', forMs: 58 * 60_000 } },
    { id: 'c', done: 1, medianFromStartMs: 30 * 60_000, stuck: { attendee: 'bo', forMs: 35 * 60_000 } },
  ]);
});

t.test('who has been stuck longest, and on what; the one-line summary', async (t) => {
  const r = roomStats(m, Date.parse(at(60)));
  t.same(r.stuckLongest, { attendee: 'cy', step: 'b', forMs: 58 * 60_000 }, 'cy did nothing since minute 2');
  t.equal(r.summary, 'room: 3 attendees graded; median 2/3 steps done; stuck longest: cy on b for 58 min');
});

t.test('per step, who has been on it longest: the first step not done, since the last one before it', async (t) => {
  const cells = (c: Record<string, [string, number?]>) =>
    Object.fromEntries(
      Object.entries(c).map(([id, [status, min]]) => [id, { status, ...(min === undefined ? {} : { at: at(min) }) }]),
    );
  const who = (attendee: string, c: Record<string, [string, number?]>) => ({
    attendee,
    reachable: true,
    cells: cells(c),
  });
  const room = {
    steps: ['a', 'b', 'c', 'd'].map((id) => ({ id })),
    attendees: [
      who('ana', { a: ['done', 0], b: ['todo'], c: ['todo'], d: ['todo'] }),
      who('bo', { a: ['done', 0], b: ['done', 20], c: ['todo'], d: ['done', 5] }),
      who('cy', { a: ['done', 3], b: ['earlier', 4], c: ['skip'], d: ['todo'] }),
      who('di', { a: ['done', 9], b: ['todo'], c: ['todo'], d: ['todo'] }),
      who('ed', { a: ['todo'], b: ['todo'], c: ['todo'], d: ['todo'] }),
      who('fy', { a: ['done'], b: ['todo'], c: ['todo'], d: ['todo'] }),
    ],
  };
  const stuck = stuckOn(room, room.attendees, Date.parse(at(30)));
  t.same(stuck.get('b'), { attendee: 'ana', forMs: 30 * 60_000 }, 'of ana and di on b, ana since minute 0');
  t.same(stuck.get('c'), { attendee: 'bo', forMs: 10 * 60_000 }, 'bo on c since b at 20; d done out of order');
  t.same(stuck.get('d'), { attendee: 'cy', forMs: 26 * 60_000 }, 'a skipped step is passed: cy on d since 4');
  t.notOk(stuck.has('a'), 'on the first step, or with no first-seen time: not timed');
  t.equal(stuck.size, 3);
});
