// The only ways a check reports what it saw: passed, failed with expected/actual and a hint, or skipped.
// What they carry is bounded (clipValue): a check may quote a pod's output, and reports print it.
import type { CheckFail, CheckPass, CheckResult, CheckSkip } from './types.js';
import { clipValue } from '../bounded-text.js';

/** The most characters one field of a check's result (expected, actual, hint, reason, an evidence value) keeps. */
export const RESULT_FIELD_MAX = 4096;

const bounded = <T extends CheckResult>(r: T): T => clipValue(r, RESULT_FIELD_MAX) as T;

export const pass = (seen: Omit<CheckPass, 'status'> = {}): CheckPass => bounded({ status: 'pass', ...seen });
export const fail = (seen: Omit<CheckFail, 'status'>): CheckFail => bounded({ status: 'fail', ...seen });
export const skip = (reason: string, evidence?: Record<string, unknown>): CheckSkip =>
  bounded({ status: 'skip', reason, ...(evidence ? { evidence } : {}) });

/** pass() when `ok`, else fail() with the hint: for checks whose outcome is one comparison. */
export const verdict = (ok: boolean, seen: Omit<CheckFail, 'status'>): CheckResult => {
  if (ok) {
    const { hint: _hint, ...rest } = seen;
    return pass(rest);
  }
  return fail(seen);
};

/** A check's return value, or why it is not one (a scenario written against an older API, or a bare boolean). */
export function asCheckResult(value: unknown): CheckResult {
  const status = (value as { status?: unknown } | null)?.status;
  if (status === 'pass' || status === 'fail' || (status === 'skip' && typeof (value as CheckSkip).reason === 'string'))
    return bounded(value as CheckResult);
  return fail({
    expected: 'a result made with pass(), fail(), skip() or verdict() from podlab/scenario',
    actual: describeValue(value),
    hint: "the scenario's check returned something else: fix the scenario",
  });
}

function describeValue(value: unknown): string {
  try {
    return JSON.stringify(clipValue(value, RESULT_FIELD_MAX)) ?? String(value);
  } catch {
    return String(value);
  }
}
