// A run's steps in lab order: each skipped, or performed (its text, or its run()) and then checked.
// Results are recorded and reported in lab order, each once every step before it has ended.
import type { PlannedStep } from '../plan/plan.js';
import type { StepContext } from '../scenario/types.js';
import { stepRetryLog, type RetryRecord } from '../k8s/retry.js';
import type { StepResult } from '../report/model.js';
import { executeStep } from './steps.js';
import { ordering, runOrdered, type Ordering } from './schedule.js';
import { TextTurns } from './turns.js';
import type { LabRun } from './lab-run.js';

export class StepLoop {
  private readonly order: Ordering;
  /** with a shell: when each step's text has been typed (steps then start in lab order) */
  private readonly typing: TextTurns | undefined;
  private readonly results: StepResult[] = [];
  private readonly failedModules = new Set<string>();
  /** steps that did not get done: failed, or skipped because a step they need failed */
  private readonly undone = new Set<number>();

  constructor(private readonly lab: LabRun) {
    this.typing = lab.shell ? new TextTurns(lab.selected.length) : undefined;
    // Each step's text waits for the text before it; a step's check may still run while later text is typed
    // (a step that runs alone waits for all of them, and holds the next text until it ends).
    this.order = { ...ordering(lab.selected), inOrder: Boolean(this.typing) };
  }

  async all(): Promise<void> {
    const { result, o, selected } = this.lab;
    await runOrdered(this.order, async (i) => {
      const r = await this.step(selected[i]!, i);
      if (r.status === 'fail') {
        this.failedModules.add(r.module);
        this.undone.add(i);
      }
      this.results[i] = r;
      for (let next = result.steps.length; this.results[next]; next++) {
        const shown = this.lab.progress?.apply(this.results[next]!) ?? this.results[next]!;
        result.steps.push(shown);
        o.onStep?.(shown);
      }
    });
  }

  private async step(p: PlannedStep, i: number): Promise<StepResult> {
    const { o } = this.lab;
    const module = p.module.frontMatter.id;
    // The text before this step's must have been typed; if it failed in this module, this step is skipped.
    if (this.typing && i > 0 && (await this.typing.ended(i - 1)) && this.lab.selected[i - 1]!.module === p.module)
      this.failedModules.add(module);
    const skip = this.skipReason(p, i);
    if (skip) {
      this.typing?.end(i, false);
      return { id: p.step.id, title: p.step.title, module, status: 'skip', reason: skip, attempts: 0, durationMs: 0 };
    }
    if (o.mode !== 'check') this.lab.performed.push(p);
    o.onStepStart?.(p.step.id);
    const retries: RetryRecord[] = [];
    const r = await stepRetryLog.run(retries, () =>
      executeStep(p.step, {
        perform: o.mode === 'check' ? undefined : (ctx) => this.perform(p, i, ctx),
        retry: o.mode !== 'check',
        module,
        signal: o.signal,
        makeContext: this.lab.contextFor,
      }),
    );
    this.typing?.end(i, r.status === 'fail'); // a step that failed before its text ran (a timeout) still passes the turn on
    return withRetries(r, retries);
  }

  private skipReason(p: PlannedStep, i: number): string | undefined {
    const { o, sandbox, selected } = this.lab;
    if (o.signal.aborted) return 'run interrupted';
    if (o.mode !== 'check') {
      const missing = this.order.needs[i]!.find((j) => this.undone.has(j));
      if (missing !== undefined) {
        this.undone.add(i);
        return `it runs after ${selected[missing]!.step.id}, which ${this.results[missing]?.status === 'fail' ? 'failed' : 'was skipped'}`;
      }
      if (this.failedModules.has(p.module.frontMatter.id)) {
        this.undone.add(i);
        return 'an earlier step of this module failed';
      }
    }
    if (p.module.frontMatter.requires?.includes('sandbox-runtime') && !sandbox)
      return 'the cluster has no sandbox RuntimeClass (kata-*, gvisor); run `podlab doctor`';
    return undefined;
  }

  /** The step's work: its text (after the prelude, for the first step), else its run(). */
  private async perform(p: PlannedStep, i: number, ctx: StepContext): Promise<void> {
    const own = this.lab.blocksOf(p);
    const typed = [...(i === 0 ? this.lab.prelude() : []), ...own];
    try {
      if (typed.length) await this.lab.type(typed, ctx);
    } catch (err) {
      this.typing?.end(i, true);
      throw err;
    }
    this.typing?.end(i, false);
    if (!own.length && p.step.run) await p.step.run(ctx);
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
