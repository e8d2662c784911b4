// The neutral result model every reporter renders.
import type { RetryRecord } from '../k8s/retry.js';
import type { ApiStats } from '../k8s/counted.js';

export type StepStatus = 'pass' | 'fail' | 'skip';

/** What every reported point carries: a step's result, or the teardown's. */
export interface PointResult {
  id: string;
  title: string;
  status: StepStatus;
  /** why it failed or was skipped, one line */
  reason?: string;
  /** passed because the progress record has it done before (ISO time first seen done); its check fails now */
  earlier?: string;
  /** when the progress record first saw the step done (ISO time), for a step done now or earlier */
  firstSeen?: string;
  expected?: unknown;
  actual?: unknown;
  hint?: string;
  attempts: number;
  durationMs: number;
  evidence?: Record<string, unknown>;
  /** transient API errors retried while this step ran (shared by the steps of a parallel group) */
  retries?: RetryRecord[];
}

export interface StepResult extends PointResult {
  module: string;
}

/** The teardown and leak audit: a result of its own, in no module. */
export type TeardownResult = PointResult;

export interface RunResult {
  /** abandoned runs (lease lapsed) this one deleted beside itself */
  reaped?: Array<{ runId: string; namespaces: string[]; lastSeen: string }>;
  lab: string;
  runId: string;
  namespace: string;
  mode: 'run' | 'check' | 'solve';
  sandbox?: string;
  /** whose blocks the run typed: aks, local (podlab's embedded cluster) or other */
  platform?: string;
  startedAt: string;
  durationMs: number;
  steps: StepResult[];
  /** teardown + leak audit, reported as a test point of its own (run mode only) */
  teardown?: TeardownResult;
  retries: RetryRecord[];
  /** what the run cost the API server: requests, watches and execs (the JSON report carries it) */
  api?: ApiStats;
  interrupted?: string;
  /** CPU time of podlab's own process (user + system), without the commands its shell ran for the lab's text */
  cpuMs?: number;
  ok: boolean;
}

export function summarize(r: RunResult): { pass: number; fail: number; skip: number } {
  const all = [...r.steps, ...(r.teardown ? [r.teardown] : [])];
  return {
    pass: all.filter((s) => s.status === 'pass').length,
    fail: all.filter((s) => s.status === 'fail').length,
    skip: all.filter((s) => s.status === 'skip').length,
  };
}
