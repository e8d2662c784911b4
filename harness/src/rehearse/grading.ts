// The grader of a rehearsal: the room graded pass after pass, with the grader's own kubeconfig (the identity and
// rights `room up` gave it), while the attendees type, as an instructor's `podlab grade --watch` would. One Cohort
// serves every pass: each pass reads the room again first (`reload`), and costs what changed since the pass before.
// A pass an attendee waits for (passAfter) and the final one measure everything again (`full`): a sample kept
// from a bad moment must not stand between an attendee and their step. What a pass saw done is kept in a progress
// record of the rehearsal's own, so the final matrix holds every step some pass saw done, although the lab's last
// step deletes the pods.
import { Cohort } from '../grade/cohort.js';
import { sourcesFrom } from '../grade/sources.js';
import type { GradeMatrix } from '../grade/matrix.js';
import type { Plan } from '../plan/plan.js';
import { Journal } from '../progress/journal.js';
import type { Redactor } from '../report/redact.js';

export class Grading {
  private readonly cohort: Cohort;
  private readonly journal: Journal;
  /** the next pass measures everything again: an attendee waits for it */
  private full = false;
  private started = 0;
  private completed = 0;
  private waiters: Array<{ pass: number; resolve: () => void }> = [];
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  last: GradeMatrix | undefined;
  errors: string[] = [];

  constructor(
    plan: Plan,
    o: {
      kubeconfig: string;
      namespaces: string[];
      record: string;
      intervalMs: number;
      signal: AbortSignal;
      redactor: Redactor;
    },
    private readonly intervalMs = o.intervalMs,
  ) {
    this.journal = new Journal(o.record).check();
    this.cohort = new Cohort(plan, {
      sources: sourcesFrom({ kubeconfig: o.kubeconfig }, o.redactor),
      namespaces: o.namespaces.join(','),
      concurrency: 4,
      execConcurrency: 4,
      signal: o.signal,
      journal: this.journal,
    });
  }

  get passes(): number {
    return this.completed;
  }

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        await this.pass();
        if (!this.stopped) await new Promise<void>((r) => (this.wake = r) && setTimeout(r, this.intervalMs));
      }
    })();
  }

  /** Resolves once a pass that began after this call has ended (the attendee's state as it is now is graded). */
  passAfter(): Promise<void> {
    const pass = this.started + 1;
    this.full = true;
    this.wake?.();
    return new Promise((resolve) => this.waiters.push({ pass, resolve }));
  }

  /** Stops the loop and grades once more: the final matrix. */
  async finish(): Promise<GradeMatrix | undefined> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.full = true;
    await this.pass();
    this.cohort.stop();
    for (const w of this.waiters) w.resolve();
    return this.last;
  }

  /** pod execs the grader made over all its passes */
  get execCount(): number {
    return this.cohort.stats().execs;
  }

  private async pass(): Promise<void> {
    this.started++;
    const full = this.full;
    this.full = false;
    try {
      this.last = await this.cohort.grade({ reload: true, full });
    } catch (err) {
      this.errors.push((err as Error).message);
    }
    this.completed++;
    const ready = this.waiters.filter((w) => w.pass <= this.completed);
    this.waiters = this.waiters.filter((w) => w.pass > this.completed);
    for (const w of ready) w.resolve();
  }
}

/** The cells of the final matrix that are not done (`attendee/step`; a whole attendee when it was not graded). */
export function missingCells(m: GradeMatrix | undefined, attendees: number): string[] {
  if (!m) return ['(the grader never finished a pass)'];
  const out = m.attendees.flatMap((a) =>
    a.reachable
      ? m.steps
          .filter((s) => !['done', 'earlier'].includes(a.cells[s.id]?.status ?? 'todo'))
          .map((s) => `${a.namespace}/${s.id}: ${a.cells[s.id]?.reason ?? 'no result'}`)
      : [`${a.namespace}: ${a.error ?? 'not graded'}`],
  );
  if (m.attendees.length < attendees) out.push(`${attendees - m.attendees.length} attendee(s) missing from the matrix`);
  return out;
}
