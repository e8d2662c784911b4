// The RunResult a run fills: its skeleton when the run starts, its totals when it ends.
import type { Platform } from '../plan/blocks.js';
import { describeError } from '../k8s/retry.js';
import type { RunResult } from '../report/model.js';
import type { RunOptions } from './options.js';

export function emptyResult(
  lab: string,
  runId: string,
  namespace: string,
  o: RunOptions,
  sandbox: string | undefined,
  platform: Platform | undefined,
  started: number,
): RunResult {
  const startedAt = new Date(started).toISOString();
  const base = { lab, runId, namespace, mode: o.mode, sandbox, startedAt, durationMs: 0, steps: [] };
  return { ...base, ...(platform ? { platform } : {}), retries: o.cluster.retries, ok: false };
}

/** Interrupted or not, duration, podlab's own CPU, what the API server was asked, and whether all passed. */
export function finishResult(result: RunResult, o: RunOptions, started: number): void {
  if (o.signal.aborted) result.interrupted = describeError(o.signal.reason ?? 'interrupted');
  result.durationMs = Date.now() - started;
  const cpu = process.cpuUsage();
  result.cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  result.api = { ...o.cluster.stats, byMethod: { ...o.cluster.stats.byMethod } };
  const all = [...result.steps, ...(result.teardown ? [result.teardown] : [])];
  result.ok = !result.interrupted && all.every((s) => s.status !== 'fail');
}
