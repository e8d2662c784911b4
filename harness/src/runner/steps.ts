// Performs and checks one step: run() once, then check() retried with backoff until the step's timeout.
import { guarded } from '../proc/watchdog.js';
import { envNumber } from '../numbers.js';
import type { StepContext, StepDefinition, CheckResult } from '../scenario/types.js';
import { asCheckResult, fail } from '../scenario/results.js';
import { StepFailure } from '../errors.js';
import type { StepResult } from '../report/model.js';
import { describeError } from '../k8s/retry.js';
import { StepProcesses, describeKilled } from '../proc/processes.js';

const DEFAULT_TIMEOUT_MS = 120_000;

/** How long a scenario's function may hold podlab's thread without yielding: $PODLAB_SCENARIO_TIMEOUT seconds. */
const holdLimitMs = () => envNumber('PODLAB_SCENARIO_TIMEOUT') * 1000;

export interface StepRunOptions {
  /** does the step's work before its check: the step's text, or its run(); nothing in check mode */
  perform?: (ctx: StepContext) => Promise<void>;
  /** retry the check until the timeout (run) or ask once (check/grade) */
  retry: boolean;
  module: string;
  /** `processes` owns the child processes the step starts through `ctx.$`: pass it on to makeContext */
  makeContext(signal: AbortSignal, evidence: Record<string, unknown>, processes: StepProcesses): StepContext;
  signal: AbortSignal;
}

/**
 * Never throws. When the step ends (pass, fail, timeout or interrupt) every command it started through
 * `ctx.$` that is still running is stopped: SIGTERM to its process group, SIGKILL after KILL_GRACE_MS.
 * What had to be killed is in the evidence (`killed processes`) and, for a failed step, in the reason.
 */
export async function executeStep(step: StepDefinition, o: StepRunOptions): Promise<StepResult> {
  const started = Date.now();
  const timeoutMs = step.timeout ?? DEFAULT_TIMEOUT_MS;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error(`step timed out after ${timeoutMs / 1000}s`)), timeoutMs);
  const signal = AbortSignal.any([o.signal, timeout.signal]);
  const evidence: Record<string, unknown> = {};
  // Stops the step's processes as soon as `signal` aborts; stop() below also catches any left running.
  const processes = new StepProcesses(signal);
  const base = { id: step.id, title: step.title, module: o.module, evidence };
  const asked: { attempts: number; last?: CheckResult } = { attempts: 0 };
  let result: StepResult;
  try {
    const ctx = o.makeContext(signal, evidence, processes);
    const perform = o.perform;
    if (perform)
      await performed(
        guarded(`run() of step ${step.id}`, holdLimitMs(), () => perform(ctx)),
        signal,
      );
    const seen = await checkUntil(step, ctx, signal, o.retry ? started + timeoutMs : 0, asked);
    Object.assign(evidence, seen.evidence ?? {});
    result = fromCheck(base, seen, asked.attempts);
  } catch (err) {
    const reason =
      err instanceof StepFailure
        ? err.message
        : signal.aborted && !o.signal.aborted
          ? `timed out after ${timeoutMs / 1000}s`
          : describeError(err);
    const failure = err instanceof StepFailure ? err.detail : asked.last?.status === 'fail' ? asked.last : undefined;
    const { expected, actual, hint } = failure ?? {};
    result = { ...base, status: 'fail', reason, expected, actual, hint, attempts: asked.attempts, durationMs: 0 };
  } finally {
    clearTimeout(timer);
  }
  const killed = await processes.stop();
  if (killed.length) {
    evidence['killed processes'] = killed;
    if (result.status === 'fail') result.reason = `${result.reason}; ${describeKilled(killed)}`;
  }
  result.durationMs = Date.now() - started;
  return result;
}

/**
 * Asks the check, again with backoff (0.5 s doubling to 5 s) while it fails and `deadline` allows (0: once).
 * `asked` tells the caller how far it got, even when an abort ends the loop by throwing.
 */
async function checkUntil(
  step: StepDefinition,
  ctx: StepContext,
  signal: AbortSignal,
  deadline: number,
  asked: { attempts: number; last?: CheckResult },
): Promise<CheckResult> {
  for (let delay = 500; ; delay = Math.min(delay * 2, 5_000)) {
    asked.attempts++;
    try {
      const checked = guarded(`check() of step ${step.id}`, holdLimitMs(), () => step.check(ctx));
      asked.last = asCheckResult(await abortable(checked, signal));
    } catch (err) {
      if (signal.aborted) throw err;
      asked.last = fail({ actual: `check threw: ${describeError(err)}` });
    }
    if (asked.last.status !== 'fail' || Date.now() + delay > deadline) return asked.last;
    await abortable(new Promise((r) => setTimeout(r, delay)), signal);
  }
}

function fromCheck(base: StepBase, seen: CheckResult, attempts: number): StepResult {
  if (seen.status === 'skip') return { ...base, status: 'skip', attempts, durationMs: 0, reason: seen.reason };
  const { expected, actual } = seen;
  const failed = seen.status === 'fail' ? { reason: seen.hint ?? 'check did not pass', hint: seen.hint } : {};
  return { ...base, status: seen.status, attempts, durationMs: 0, expected, actual, ...failed };
}

type StepBase = Pick<StepResult, 'id' | 'title' | 'module' | 'evidence'>;

function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** How long a step's work may take to wind down after its signal fired (a shell block stops its processes). */
const WIND_DOWN_MS = 15_000;

/**
 * The step's work, which ends early when `signal` fires; but not before the work itself has wound down (for
 * a bounded time), so that what it did meanwhile (a namespace its text made) is known before the teardown.
 * A StepFailure it ends with says more than "timed out", so it wins.
 */
async function performed(work: Promise<void>, signal: AbortSignal): Promise<void> {
  try {
    await abortable(work, signal);
  } catch (err) {
    if (!signal.aborted) throw err;
    const settled = await Promise.race([
      work.then(
        () => undefined,
        (e: unknown) => e,
      ),
      new Promise((r) => setTimeout(r, WIND_DOWN_MS)),
    ]);
    throw settled instanceof StepFailure ? settled : err;
  }
}
