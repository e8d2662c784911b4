// podlab run / check / solve: a lab's planned steps against one namespace. In run and solve each step's text
// (its shell blocks for this platform) is typed into one shell session, then its check decides "done".
import type { Plan } from '../plan/plan.js';
import type { Platform } from '../plan/blocks.js';
import type { Cluster } from '../k8s/cluster.js';
import type { RunResult, StepResult } from '../report/model.js';
import { LabRun } from './lab-run.js';
import type { ProgressOptions } from './progress.js';
import type { OutputUpdate } from './outputs.js';

// Paths in the lab (scenarios, manifests) resolve against lab.root, the lab's own project.
export interface RunOptions {
  cluster: Cluster;
  kubeconfigPath?: string;
  /** run: performs + checks in a fresh namespace; check: checks only, read-only; solve: performs up to `to` */
  mode: 'run' | 'check' | 'solve';
  namespace?: string;
  step?: string;
  from?: string;
  to?: string;
  keep?: boolean;
  /** 'none' pretends the cluster has no sandbox RuntimeClass; a name forces that one */
  sandboxRuntime?: string;
  /** whose blocks run (default: detected) */
  platform?: Platform;
  /** text: each step's shell blocks do its work (default); scenario: run() where a step has one */
  via?: 'text' | 'scenario';
  signal: AbortSignal;
  /** once the run's namespace is there, before the first step: what a report's header needs */
  onStart?: (r: RunResult) => void;
  /** a step's work or check begins (not called for a skipped step) */
  onStepStart?: (id: string) => void;
  onStep?: (r: StepResult) => void;
  /** what podlab did besides the lab (abandoned runs it reaped), one line each */
  onNote?: (line: string) => void;
  /** --update-outputs: output blocks that differ from the run are collected here instead of failing their step */
  outputUpdates?: OutputUpdate[];
  /** check mode: read and keep the progress record (podlab check, grade) */
  progress?: ProgressOptions;
}

export async function runLab(plan: Plan, o: RunOptions): Promise<RunResult> {
  const run = await LabRun.prepare(plan, o);
  try {
    await run.open();
    await run.steps();
  } finally {
    await run.close();
  }
  return run.result;
}
