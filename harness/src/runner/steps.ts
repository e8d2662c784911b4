// Performs and checks one step: run() once, then check() retried with backoff until the step's timeout.
import type { StepContext, StepDefinition, CheckResult } from '../scenario/types.js';
import type { StepResult } from '../report/model.js';
import { describeError } from '../k8s/retry.js';

export const DEFAULT_TIMEOUT_MS = 120_000;

export interface StepRunOptions {
  perform: boolean;
  /** retry the check until the timeout (run) or ask once (check/grade) */
  retry: boolean;
  module: string;
  makeContext(signal: AbortSignal, evidence: Record<string, unknown>): StepContext;
  signal: AbortSignal;
}

export async function executeStep(step: StepDefinition, o: StepRunOptions): Promise<StepResult> {
  const started = Date.now();
  const timeoutMs = step.timeout ?? DEFAULT_TIMEOUT_MS;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error(`step timed out after ${timeoutMs / 1000}s`)), timeoutMs);
  const signal = AbortSignal.any([o.signal, timeout.signal]);
  const evidence: Record<string, unknown> = {};
  const ctx = o.makeContext(signal, evidence);
  const base = { id: step.id, title: step.title, module: o.module, evidence };
  let attempts = 0;
  let last: CheckResult | undefined;
  try {
    if (o.perform) await abortable(step.run(ctx), signal);
    const deadline = started + timeoutMs;
    for (let delay = 500; ; delay = Math.min(delay * 2, 5_000)) {
      attempts++;
      try {
        last = await abortable(step.check(ctx), signal);
      } catch (err) {
        if (signal.aborted) throw err;
        last = { ok: false, actual: `check threw: ${describeError(err)}` };
      }
      if (last.ok || last.skip || !o.retry || Date.now() + delay > deadline) break;
      await abortable(new Promise((r) => setTimeout(r, delay)), signal);
    }
  } catch (err) {
    const reason = signal.aborted && !o.signal.aborted ? `timed out after ${timeoutMs / 1000}s` : describeError(err);
    return { ...base, status: 'fail', reason, expected: last?.expected, actual: last?.actual, hint: last?.hint, attempts, durationMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
  Object.assign(evidence, last?.evidence ?? {});
  const status = last?.skip ? 'skip' : last?.ok ? 'pass' : 'fail';
  return {
    ...base, status, attempts, durationMs: Date.now() - started,
    reason: last?.skip ?? (status === 'fail' ? last?.hint ?? 'check did not pass' : undefined),
    expected: last?.expected, actual: last?.actual, hint: last?.hint,
  };
}

function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then((v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); });
  });
}
