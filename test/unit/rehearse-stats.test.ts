// A rehearsal's numbers and causes, pure: percentiles, per-step passes and failures, what a refusal looks like,
// the room folded into one RunResult that run's reporters render.
import t from 'tap';
import { percentile, roomResult, stepStats, type AttendeeRun } from '../../harness/src/rehearse/stats.js';
import { causeOf } from '../../harness/src/rehearse/causes.js';
import { missingCells } from '../../harness/src/rehearse/grading.js';
import type { RunResult, StepResult } from '../../harness/src/report/model.js';
import { toTap } from '../../harness/src/report/tap.js';
import { Redactor } from '../../harness/src/report/redact.js';

const step = (id: string, status: StepResult['status'], durationMs: number, more: Partial<StepResult> = {}) =>
  ({ id, module: 'm', title: id, status, attempts: 1, durationMs, ...more }) as StepResult;
const run = (attendee: string, steps: StepResult[], causes: AttendeeRun['causes'] = {}): AttendeeRun => ({
  attendee,
  namespace: `r-${attendee}`,
  causes,
  result: {
    lab: 'l',
    runId: 'x',
    namespace: `r-${attendee}`,
    mode: 'solve',
    startedAt: '',
    durationMs: 0,
    steps,
    retries: [],
    ok: true,
  } as RunResult,
});

t.test('percentile: nearest rank', async (t) => {
  t.equal(percentile([], 50), 0);
  t.equal(percentile([5], 95), 5);
  t.equal(percentile([4, 1, 3, 2], 50), 2);
  t.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 100], 95), 19);
  t.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 100], 100), 100);
});

t.test('stepStats: passes over attendees, p50/p95 of the steps that ran, each failure with its cause', async (t) => {
  const runs = [
    run('1', [step('a', 'pass', 1000), step('b', 'pass', 3000)]),
    run('2', [step('a', 'pass', 2000), step('b', 'fail', 9000, { reason: 'timed out' })], {
      b: { cause: 'capacity', detail: 'victim: Unschedulable 0/1 nodes are available: 1 Insufficient cpu.' },
    }),
    run('3', [step('a', 'fail', 5000, { reason: 'no pod' }), step('b', 'skip', 0, { reason: 'a failed' })]),
  ];
  const [a, b] = stepStats(runs);
  t.match(a, { id: 'a', passes: 2, of: 3, p50Ms: 2000, p95Ms: 5000 });
  t.same(a!.failures, [{ attendee: '3', status: 'fail', cause: 'check', detail: 'no pod' }]);
  t.match(b, { passes: 1, p50Ms: 3000, p95Ms: 9000 }, 'a skipped step has no duration');
  t.same(
    b!.failures.map((f) => [f.attendee, f.cause]),
    [
      ['2', 'capacity'],
      ['3', 'skipped'],
    ],
  );
});

t.test('causeOf: admission, quota and RBAC from what the text printed; capacity from unschedulable pods', async (t) => {
  const said = (stderr: string) => step('s', 'fail', 1, { reason: 'block failed', evidence: { blocks: [{ stderr }] } });
  t.match(
    causeOf(
      said(
        `The pods "p" is invalid: : ValidatingAdmissionPolicy 'podlab-room-x' with binding 'b' denied request: privileged only in the sandbox`,
      ),
      [],
    ),
    { cause: 'admission', detail: /denied request/ },
  );
  t.match(
    causeOf(
      said(
        'Error from server (Forbidden): pods "victim" is forbidden: exceeded quota: podlab-room, requested: limits.cpu=500m',
      ),
      [],
    ),
    { cause: 'quota' },
  );
  t.match(
    causeOf(
      said(
        'Error from server (Forbidden): nodes is forbidden: User "system:serviceaccount:r-1:attendee" cannot list resource "nodes"',
      ),
      [],
    ),
    { cause: 'rbac' },
  );
  t.match(
    causeOf(step('s', 'fail', 1, { reason: 'timed out' }), ['victim: Unschedulable 0/1 nodes: Insufficient cpu']),
    {
      cause: 'capacity',
      detail: /Insufficient cpu/,
    },
  );
  t.match(causeOf(step('s', 'fail', 1, { reason: '`kubectl wait` was stopped: interrupted by SIGINT' }), []), {
    cause: 'interrupted',
  });
  t.same(causeOf(step('s', 'fail', 1, { reason: 'median 10% of baseline' }), []), {
    cause: 'check',
    detail: 'median 10% of baseline',
  });
});

t.test('roomResult: one point per lab step and the final matrix; ok only when everything passed', async (t) => {
  const teardown = { id: 'teardown', title: 'room down', status: 'pass' as const, attempts: 1, durationMs: 5 };
  const base = { lab: 'l', room: 'r', platform: 'other', startedAt: '', durationMs: 1, graderPasses: 3, teardown };
  const good = roomResult({ ...base, runs: [run('1', [step('a', 'pass', 10)])], matrixMissing: [] });
  t.equal(good.ok, true);
  t.same(
    good.steps.map((s) => [s.id, s.status]),
    [
      ['a', 'pass'],
      ['final-matrix', 'pass'],
    ],
  );
  t.match(good.steps[0]!.evidence, { passes: 1, attendees: 1, p50_ms: 10, p95_ms: 10 });
  t.match(toTap(good, new Redactor()), /ok 1 - a - a\n[\s\S]*final-matrix/, "run's TAP reporter renders it");
  const bad = roomResult({ ...base, runs: [run('1', [step('a', 'pass', 10)])], matrixMissing: ['r-1/a: todo'] });
  t.equal(bad.ok, false, 'a matrix that is not full fails the rehearsal');
  t.match(bad.steps.at(-1), { status: 'fail', actual: ['r-1/a: todo'] });
});

t.test('missingCells: not done, not graded, or missing attendees', async (t) => {
  t.same(missingCells(undefined, 1), ['(the grader never finished a pass)']);
  const m = {
    lab: 'l',
    generatedAt: '',
    steps: [
      { id: 'a', module: 'm', weight: 1 },
      { id: 'b', module: 'm', weight: 1 },
    ],
    attendees: [
      {
        attendee: 'x',
        namespace: 'r-1',
        reachable: true,
        score: 1,
        maxScore: 2,
        cells: { a: { status: 'earlier' as const }, b: { status: 'todo' as const, reason: 'no pod' } },
      },
    ],
  };
  t.same(missingCells(m, 2), ['r-1/b: no pod', '1 attendee(s) missing from the matrix']);
});
