// The only ways a check reports what it saw: passed, failed with expected/actual and a hint, or skipped.
import type { CheckFail, CheckPass, CheckResult, CheckSkip } from './types.js';

export const pass = (seen: Omit<CheckPass, 'status'> = {}): CheckPass => ({ status: 'pass', ...seen });
export const fail = (seen: Omit<CheckFail, 'status'>): CheckFail => ({ status: 'fail', ...seen });
export const skip = (reason: string, evidence?: Record<string, unknown>): CheckSkip => ({
  status: 'skip',
  reason,
  ...(evidence ? { evidence } : {}),
});

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
    return value as CheckResult;
  return fail({
    expected: 'a result made with pass(), fail(), skip() or verdict() from podlab/scenario',
    actual: JSON.stringify(value) ?? String(value),
    hint: "the scenario's check returned something else: fix the scenario",
  });
}
