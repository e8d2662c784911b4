/** The scenario API that `scenarios/*.ts` files program against. */
import type { KubeConfig, CoreV1Api, NetworkingV1Api, V1Pod } from '@kubernetes/client-node';

/** What a check saw, never a bare boolean: made with pass(), fail(), skip() or verdict() (scenario/results.ts). */
export type CheckResult = CheckPass | CheckFail | CheckSkip;

interface Observed {
  expected?: unknown;
  actual?: unknown;
  /** recorded in the report beside what ctx.evidence() recorded */
  evidence?: Record<string, unknown>;
}

export interface CheckPass extends Observed {
  status: 'pass';
}

export interface CheckFail extends Observed {
  status: 'fail';
  /** one line for an attendee: what is wrong and what to run next */
  hint?: string;
}

/** The cluster lacks what the step needs: a SKIP with its reason, not a failure. */
export interface CheckSkip {
  status: 'skip';
  reason: string;
  evidence?: Record<string, unknown>;
}

export type { ExecResult, SandboxRuntime } from '../k8s/types.js';
import type { ExecResult, SandboxRuntime } from '../k8s/types.js';

export interface StepContext {
  /** namespace the step works in (ephemeral for `run`, the attendee's for `check`) */
  namespace: string;
  runId: string;
  labId: string;
  /** labels every object podlab creates must carry */
  labels: Record<string, string>;
  /** undefined when the cluster has none; checks needing it should return skip */
  sandbox?: SandboxRuntime;
  kubeconfig: KubeConfig;
  core: CoreV1Api;
  /** NetworkPolicies and friends; in `podlab grade` reads are answered from one snapshot per context */
  networking: NetworkingV1Api;
  /** read-only mode: checks must not create anything (podlab check / grade) */
  readOnly: boolean;
  /** abort signal: fires on timeout or SIGINT/SIGTERM */
  signal: AbortSignal;
  /**
   * zx `$` bound to the cluster's kubeconfig (KUBECONFIG and NS in the environment).
   *
   * Guarantee: every command started through it belongs to the step and runs as the leader of its own
   * process group. When the step ends (passed, failed, timed out or interrupted; for `cleanup`, when the
   * cleanup returns) each command still running is stopped together with everything it started: SIGTERM
   * to the group, then SIGKILL after `KILL_GRACE_MS` (2 s) if anything in it is still alive, so a child
   * that ignores SIGTERM cannot outlive the step. A timeout stops them at once. What had to be killed is
   * in the step's evidence (`killed processes`) and, for a failed step, its reason ("killed N child
   * processes"). A command started after the step's signal fired is stopped as soon as it starts.
   * Await (or `.nothrow()`) the commands you start: one that is killed rejects. `$.sync` is not covered.
   */
  $: import('zx').Shell;
  /** exec argv in a pod's container through the API (no kubectl) */
  exec(pod: string, argv: string[], opts?: { container?: string; timeoutMs?: number }): Promise<ExecResult>;
  /** apply a manifest from manifests/ (path relative to repo root), with labels and namespace injected */
  apply(manifestPath: string, vars?: Record<string, string>): Promise<void>;
  /** wait (by watch, not polling) until the pod satisfies the predicate */
  waitForPod(name: string, predicate: (pod: V1Pod) => boolean, timeoutMs?: number): Promise<V1Pod>;
  /** record evidence shown in reports */
  evidence(key: string, value: unknown): void;
}

export interface StepDefinition {
  id: string;
  title: string;
  /**
   * Performs the step through the API. Optional: a step's own shell blocks (the text the attendee reads)
   * are what `podlab run` and `solve` execute. run() is used when the step has no block for the platform,
   * with `--via scenario`, or, with `runInstead`, in place of the text.
   */
  run?(ctx: StepContext): Promise<void>;
  /** run() replaces this step's text in every run; says why the text cannot do the work */
  runInstead?: string;
  /** the single source of truth for "done"; read-only */
  check(ctx: StepContext): Promise<CheckResult>;
  cleanup?(ctx: StepContext): Promise<void>;
  /** ms; default 120000; checks are retried until this passes */
  timeout?: number;
  /**
   * Runs the step concurrently with its neighbours. Consecutive steps of one module that all say
   * `parallel: true` form a group; consecutive steps that name the same group (`parallel: 'pods-up'`) form
   * one across modules too. `podlab run`, `solve` and `check` execute a group's steps concurrently (each
   * with its own timeout); results are still reported in lab order. Steps of a group must not depend on
   * each other (objects, files, ordering). A failure in the group skips its module's later steps, not the
   * other steps of the group, which are already running.
   */
  parallel?: boolean | string;
  /**
   * The ids of the earlier steps (of any module) this step needs, and the only ones it waits for: it starts
   * as soon as they have ended, beside whatever else is running except a step that runs alone (one with
   * neither `after` nor `parallel`). If one of them fails, this step is skipped. `after: []` needs nothing.
   * Not together with `parallel`.
   */
  after?: string[];
}

export interface Scenario {
  /** module id it pairs with (front matter `id`) */
  module: string;
  steps: StepDefinition[];
}
