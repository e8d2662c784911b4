// A run's steps in lab order: each skipped, or performed (its text, or its run()) and then checked.
// Results are handed on in lab order, each once every step before it has ended. The loop knows only its ports:
// it reads nothing of the run that drives it.
import type { PlannedStep } from '../plan/plan.js';
import type { StepContext } from '../scenario/types.js';
import { stepRetryLog, type RetryRecord } from '../k8s/retry.js';
import type { StepResult } from '../report/model.js';
import { executeStep } from './steps.js';
import { ordering, runOrdered, type Ordering } from './schedule.js';
import { TextTurns } from './turns.js';
import type { ContextFor } from './teardown.js';
import { WithoutExec, type Recorded } from './progress.js';

/** The facts that decide a skip, besides the results the loop sees. */
interface SkipFacts {
  signal: AbortSignal;
  /** a RuntimeClass for `requires: sandbox-runtime` */
  sandbox: boolean;
  /** a step whose `after` step or earlier module step failed is skipped (run, solve; not a check) */
  followsFailures: boolean;
}

export interface StepLoopPorts {
  /** the selected steps, in lab order */
  steps: PlannedStep[];
  /**
   * Types step i's text (for the first step, the text before it too) into the run's shell. Resolves true when
   * the step's own text did its work, false when its run() must. None in check mode: only checks are asked.
   */
  perform?: (p: PlannedStep, i: number, ctx: StepContext) => Promise<boolean>;
  /** with a shell: each step's text waits for the text before it (steps then start in lab order) */
  typesInTurn: boolean;
  contextFor: ContextFor;
  /** check mode: the progress record has this step done or skipped, so its check is asked without an exec */
  recorded?: (p: PlannedStep) => Recorded | undefined;
  skips: SkipFacts;
  /** a step's work or check begins (not called for a skipped step) */
  onStepStart?: (p: PlannedStep) => void;
  /** each result, in lab order */
  onResult: (r: StepResult) => void;
}

export class StepLoop {
  private readonly order: Ordering;
  private readonly typing: TextTurns | undefined;
  private readonly results: StepResult[] = [];
  private reported = 0;
  private readonly failedModules = new Set<string>();
  /** steps that did not get done: failed, or skipped because a step they need failed */
  private readonly undone = new Set<number>();

  constructor(private readonly ports: StepLoopPorts) {
    this.typing = ports.typesInTurn ? new TextTurns(ports.steps.length) : undefined;
    // Each step's text waits for the text before it; a step's check may still run while later text is typed
    // (a step that runs alone waits for all of them, and holds the next text until it ends).
    this.order = { ...ordering(ports.steps), inOrder: Boolean(this.typing) };
  }

  async all(): Promise<void> {
    await runOrdered(this.order, async (i) => {
      const r = await this.step(this.ports.steps[i]!, i);
      if (r.status === 'fail') {
        this.failedModules.add(r.module);
        this.undone.add(i);
      }
      this.results[i] = r;
      for (; this.results[this.reported]; this.reported++) this.ports.onResult(this.results[this.reported]!);
    });
  }

  private async step(p: PlannedStep, i: number): Promise<StepResult> {
    const { steps, perform, skips } = this.ports;
    const module = p.module.frontMatter.id;
    // The text before this step's must have been typed; if it failed in this module, this step is skipped.
    if (this.typing && i > 0 && (await this.typing.ended(i - 1)) && steps[i - 1]!.module === p.module)
      this.failedModules.add(module);
    const skip = this.skipReason(p, i);
    if (skip) {
      this.typing?.end(i, false);
      return { id: p.step.id, title: p.step.title, module, status: 'skip', reason: skip, attempts: 0, durationMs: 0 };
    }
    this.ports.onStepStart?.(p);
    const retries: RetryRecord[] = [];
    // Grading costs what changed: a step the record has as done is not re-checked by exec.
    const recorded = this.ports.recorded?.(p);
    const withoutExec = recorded && new WithoutExec(recorded);
    const r = await stepRetryLog.run(retries, () =>
      executeStep(p.step, {
        perform: perform && ((ctx) => this.work(perform, p, i, ctx)),
        retry: Boolean(perform),
        module,
        signal: skips.signal,
        makeContext: withoutExec?.context(this.ports.contextFor) ?? this.ports.contextFor,
      }),
    );
    this.typing?.end(i, r.status === 'fail'); // a step that failed before its text ran (a timeout) still passes the turn on
    return withRetries(withoutExec?.result(r) ?? r, retries);
  }

  private skipReason(p: PlannedStep, i: number): string | undefined {
    const { skips, steps } = this.ports;
    if (skips.signal.aborted) return 'run interrupted';
    if (skips.followsFailures) {
      const missing = this.order.needs[i]!.find((j) => this.undone.has(j));
      if (missing !== undefined) {
        this.undone.add(i);
        return `it runs after ${steps[missing]!.step.id}, which ${this.results[missing]?.status === 'fail' ? 'failed' : 'was skipped'}`;
      }
      if (this.failedModules.has(p.module.frontMatter.id)) {
        this.undone.add(i);
        return 'an earlier step of this module failed';
      }
    }
    if (p.module.frontMatter.requires?.includes('sandbox-runtime') && !skips.sandbox)
      return 'the cluster has no sandbox RuntimeClass (kata-*, gvisor); run `podlab doctor`';
    return undefined;
  }

  /** The step's work: its text, in its turn, else its run(). */
  private async work(
    perform: NonNullable<StepLoopPorts['perform']>,
    p: PlannedStep,
    i: number,
    ctx: StepContext,
  ): Promise<void> {
    let typedOwn: boolean;
    try {
      typedOwn = await perform(p, i, ctx);
    } catch (err) {
      this.typing?.end(i, true);
      throw err;
    }
    this.typing?.end(i, false);
    if (!typedOwn && p.step.run) await p.step.run(ctx);
  }
}

/** Attaches the API retries seen during a step; a failed step whose API server stopped answering says so. */
function withRetries(r: StepResult, retries: RetryRecord[]): StepResult {
  if (!retries.length) return r;
  const last = retries.at(-1)!;
  const apiDown =
    r.status === 'fail' &&
    !/did not answer/.test(r.reason ?? '') &&
    Date.parse(last.at) >= Date.now() - r.durationMs &&
    Date.now() - Date.parse(last.at) < 15_000;
  return {
    ...r,
    retries,
    reason: apiDown
      ? `${r.reason}; the API server was not answering (${retries.length} retries, last: ${last.error})`
      : r.reason,
  };
}
