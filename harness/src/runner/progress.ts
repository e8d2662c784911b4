// What `podlab check` and `grade` make of the progress record: a step is done when its check passes now or
// it was seen done before, and every step it needs (its `after`) is done; what is done now is recorded.
// A step seen skipped (its check cannot judge it on this cluster) stays skipped once its pods are gone, so it
// neither counts nor blocks the steps after it.
import type { PlannedStep } from '../plan/plan.js';
import type { Attendee, Journal, Seen } from '../progress/journal.js';
import type { StepResult } from '../report/model.js';
import type { StepContext } from '../scenario/types.js';
import type { StepRunOptions } from './steps.js';

export interface ProgressOptions {
  /** none (--no-record): prerequisites still apply, nothing is read or kept */
  journal?: Journal;
  /** the cluster's identity (its API server), for the attendee's key */
  cluster: string;
}

/** Applied to a check's results in lab order, one at a time. */
export class Progress {
  private readonly after: Map<string, string[]>;
  private readonly done = new Map<string, boolean>();
  private readonly fresh: Seen[] = [];
  private readonly now = new Date();

  constructor(
    private readonly o: ProgressOptions,
    private readonly attendee: Attendee,
    private readonly lab: string,
    steps: PlannedStep[],
  ) {
    this.after = new Map(steps.map((p) => [p.step.id, p.step.after ?? []]));
  }

  /** Seen done (or skipped) before: its check is asked without execs (see WithoutExec). */
  recorded(step: string): Recorded | undefined {
    if (this.o.journal?.firstDone(this.attendee, this.lab, step)) return 'done';
    if (this.o.journal?.firstSkipped(this.attendee, this.lab, step)) return 'skipped';
    return undefined;
  }

  /** The step's result with the record applied. */
  apply(r: StepResult): StepResult {
    const earlier = this.o.journal?.firstDone(this.attendee, this.lab, r.id);
    const missing = (this.after.get(r.id) ?? []).filter((id) => this.done.get(id) === false);
    const skippedBefore =
      r.status === 'fail' && !earlier && !missing.length
        ? this.o.journal?.firstSkipped(this.attendee, this.lab, r.id)
        : undefined;
    if (skippedBefore) {
      this.done.set(r.id, true);
      const reason = `seen skipped ${skippedBefore.at}: ${skippedBefore.skipped}`;
      return { ...r, status: 'skip', reason, hint: undefined, expected: undefined, actual: undefined };
    }
    const satisfied = r.status === 'skip' || ((r.status === 'pass' || earlier !== undefined) && missing.length === 0);
    this.done.set(r.id, satisfied);
    if (r.status === 'skip' && !missing.length) this.fresh.push({ step: r.id, skipped: r.reason ?? '' });
    if (r.status === 'pass' && missing.length) {
      const first = missing.join(', ');
      return { ...r, status: 'fail', reason: `done only once ${first} is done`, hint: `first do ${first}` };
    }
    if (!satisfied || r.status === 'skip') return r;
    if (r.status === 'pass') {
      if (!earlier) this.fresh.push({ step: r.id, evidence: r.evidence });
      return { ...r, firstSeen: earlier?.at ?? this.now.toISOString() };
    }
    // Its check fails now (the attendee cleaned up, say), but it was done: it stays done.
    const seen = earlier!.at;
    return {
      ...r,
      status: 'pass',
      earlier: seen,
      firstSeen: seen,
      reason: undefined,
      hint: undefined,
      expected: undefined,
      actual: undefined,
    };
  }

  /** Records, in one append, the steps seen done for the first time. */
  save(): void {
    this.o.journal?.record(this.attendee, this.lab, this.fresh.splice(0), this.now);
  }
}

export type Recorded = 'done' | 'skipped';

/**
 * A step the record has as done is checked from the API alone: its execs are not sent. When its check got as
 * far as an exec, what the API shows held (the pod is there), so it counts as done now; when it failed before
 * that (the pod is gone), the record keeps it done earlier. A step the record has as skipped stays skipped
 * (Progress.apply) whichever way its check fails without its exec.
 */
export class WithoutExec {
  private asked = false;

  constructor(private readonly recorded: Recorded) {}

  context(make: (...a: MakeArgs) => StepContext): (...a: MakeArgs) => StepContext {
    // The context is the step's own: its exec is replaced in place (a copy would make its lazy `$` at once).
    return (...a) =>
      Object.assign(make(...a), {
        exec: async () => {
          this.asked = true;
          throw new Error(`not asked: the progress record has this step ${this.recorded}`);
        },
      });
  }

  result(r: StepResult): StepResult {
    if (r.status !== 'fail' || !this.asked) return r;
    const evidence = { ...r.evidence, 'not re-checked by exec': `the progress record has this step ${this.recorded}` };
    if (this.recorded === 'skipped') return { ...r, evidence };
    return {
      ...r,
      status: 'pass',
      reason: undefined,
      hint: undefined,
      expected: undefined,
      actual: undefined,
      evidence,
    };
  }
}

type MakeArgs = Parameters<StepRunOptions['makeContext']>;
