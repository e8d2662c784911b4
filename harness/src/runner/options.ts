// What a caller tells a run: the cluster, the mode, the steps, and the callbacks a report is written from.
import type { PlannedStep } from '../plan/plan.js';
import type { Platform } from '../plan/blocks.js';
import type { Cluster } from '../k8s/cluster.js';
import type { RunResult, StepResult, TeardownResult } from '../report/model.js';
import type { ProgressOptions } from './progress.js';
import type { OutputUpdate } from './outputs.js';

// Paths in the lab (scenarios, manifests) resolve against lab.root, the lab's own project.
export interface RunOptions {
  cluster: Cluster;
  kubeconfigPath?: string;
  /** run: performs + checks in a fresh namespace; check: checks only, read-only; solve: performs up to the last step */
  mode: 'run' | 'check' | 'solve';
  namespace?: string;
  /** the steps to run, in lab order (selected once, by the caller: `selectSteps`); default every step */
  steps?: PlannedStep[];
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
  /** a step's result, in lab order, as soon as every step before it has one */
  onStep?: (r: StepResult) => void;
  /** the teardown and leak audit ended (run mode, without --keep) */
  onTeardown?: (r: TeardownResult) => void;
  /** what podlab did besides the lab (abandoned runs it reaped), one line each */
  onNote?: (line: string) => void;
  /** --update-outputs: output blocks that differ from the run are collected here instead of failing their step */
  outputUpdates?: OutputUpdate[];
  /** check mode: read and keep the progress record (podlab check, grade) */
  progress?: ProgressOptions;
}
