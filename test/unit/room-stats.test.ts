// The room at a glance, computed from a matrix (pure logic).
import t from 'tap';
import { roomStats } from '../../harness/src/grade/room-stats.js';
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
    { id: 'b', done: 2, medianFromStartMs: 15 * 60_000 },
    { id: 'c', done: 1, medianFromStartMs: 30 * 60_000 },
  ]);
});

t.test('who has been stuck longest, and on what; the one-line summary', async (t) => {
  const r = roomStats(m, Date.parse(at(60)));
  t.same(r.stuckLongest, { attendee: 'cy', step: 'b', forMs: 58 * 60_000 }, 'cy did nothing since minute 2');
  t.equal(r.summary, 'room: 3 attendees graded; median 2/3 steps done; stuck longest: cy on b for 58 min');
});
