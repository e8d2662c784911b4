// A rehearsal's numbers (pure): per step, how many attendees passed it, how long it took them (p50, p95), and each
// failure with its cause; the whole folded into one RunResult, so that the TAP, JUnit and JSON reporters of
// `podlab run` render a rehearsal as they render a run.
import type { RunResult, StepResult, StepStatus, TeardownResult } from '../report/model.js';
import type { Cause } from './causes.js';

/** One attendee's as-written run, and the cause found for each step it failed. */
export interface AttendeeRun {
  attendee: string;
  namespace: string;
  result: RunResult;
  causes: Record<string, { cause: Cause; detail: string }>;
}

export interface StepStats {
  id: string;
  module: string;
  title: string;
  passes: number;
  of: number;
  p50Ms: number;
  p95Ms: number;
  failures: Array<{ attendee: string; status: StepStatus; cause: Cause | 'skipped'; detail: string }>;
}

/** The nearest-rank percentile (`p` in 0..100) of numbers; 0 for none. */
export function percentile(xs: number[], p: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function stepStats(runs: AttendeeRun[]): StepStats[] {
  const first = runs[0]?.result.steps ?? [];
  return first.map((s) => {
    const mine = runs.map((r) => ({ r, step: r.result.steps.find((x) => x.id === s.id) }));
    const ran = mine.filter((m) => m.step && m.step.status !== 'skip').map((m) => m.step!.durationMs);
    return {
      id: s.id,
      module: s.module,
      title: s.title,
      passes: mine.filter((m) => m.step?.status === 'pass').length,
      of: runs.length,
      p50Ms: percentile(ran, 50),
      p95Ms: percentile(ran, 95),
      failures: mine
        .filter((m) => m.step?.status !== 'pass')
        .map(({ r, step }) => ({
          attendee: r.attendee,
          status: step?.status ?? 'fail',
          cause: step?.status === 'skip' ? 'skipped' : (r.causes[s.id]?.cause ?? 'check'),
          detail:
            step?.status === 'skip' ? (step.reason ?? '') : (r.causes[s.id]?.detail ?? step?.reason ?? 'no result'),
        })),
    };
  });
}

/** A step of the room: passed when every attendee passed it; its evidence carries the numbers and the failures. */
function roomStep(s: StepStats): StepResult {
  const ok = s.passes === s.of;
  const causes = [...new Set(s.failures.map((f) => f.cause))];
  return {
    id: s.id,
    module: s.module,
    title: s.title,
    status: ok ? 'pass' : 'fail',
    ...(ok ? {} : { reason: `${s.passes}/${s.of} attendees passed; causes: ${causes.join(', ')}` }),
    ...(ok ? {} : { expected: `${s.of}/${s.of} attendees pass`, actual: s.failures }),
    attempts: 1,
    durationMs: s.p95Ms,
    evidence: { passes: s.passes, attendees: s.of, p50_ms: s.p50Ms, p95_ms: s.p95Ms },
  };
}

export interface RoomOutcome {
  lab: string;
  room: string;
  sandbox?: string;
  platform: string;
  startedAt: string;
  durationMs: number;
  runs: AttendeeRun[];
  /** the grader's last pass: cells not done, as `attendee/step` (empty: the matrix is full) */
  matrixMissing: string[];
  graderPasses: number;
  teardown: TeardownResult;
  interrupted?: string;
}

/** The rehearsal as one RunResult: a step per lab step (over all attendees), then the final matrix as a step. */
export function roomResult(o: RoomOutcome): RunResult {
  const steps = stepStats(o.runs).map(roomStep);
  const full = o.matrixMissing.length === 0;
  steps.push({
    id: 'final-matrix',
    module: 'rehearsal',
    title: `the grader's matrix is full after ${o.graderPasses} pass(es)`,
    status: full ? 'pass' : 'fail',
    ...(full ? {} : { reason: `${o.matrixMissing.length} cell(s) not done`, expected: 'every cell done' }),
    ...(full ? {} : { actual: o.matrixMissing }),
    attempts: o.graderPasses,
    durationMs: 0,
  });
  const ok = steps.every((s) => s.status === 'pass') && o.teardown.status === 'pass' && !o.interrupted;
  return {
    lab: o.lab,
    runId: o.room,
    namespace: `${o.runs.length} attendee namespaces of room ${o.room}`,
    mode: 'run',
    sandbox: o.sandbox,
    platform: o.platform,
    startedAt: o.startedAt,
    durationMs: o.durationMs,
    steps,
    teardown: o.teardown,
    retries: o.runs.flatMap((r) => r.result.retries),
    ...(o.interrupted ? { interrupted: o.interrupted } : {}),
    ok,
  };
}
