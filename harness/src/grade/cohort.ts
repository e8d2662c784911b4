// podlab grade: a room of attendees checked read-only, in parallel, into one matrix. Each context is read once
// per resource kind (a Snapshot); the checks run against that in memory; execs share one concurrency limit.
import pLimit, { type LimitFunction } from 'p-limit';
import type { Plan } from '../plan/plan.js';
import type { Cluster } from '../k8s/cluster.js';
import { describeError } from '../k8s/retry.js';
import { newStats, type ApiStats } from '../k8s/counted.js';
import { runLab } from '../runner/run.js';
import { gradeOf, labSteps, unreachable, type AttendeeGrade, type GradeMatrix } from './matrix.js';
import { Snapshot } from './snapshot.js';
import type { Source } from './sources.js';
import { GRADE_EXEC_TIMEOUT_MS, snapshotView, type ExecBounds } from './view.js';
import { resolveNamespaces } from './selectors.js';
import { ResultReuse } from './result-reuse.js';
import { roomStats } from './room-stats.js';
import type { Journal } from '../progress/journal.js';
import type { RunResult } from '../report/model.js';
import { clusterId } from '../k8s/kubeconfig.js';

export interface CohortOptions {
  sources: Source[];
  /** namespaces to grade in every source (glob, selector or list); default: the context's namespace, else `default` */
  namespaces?: string;
  /** attendees graded at once */
  concurrency: number;
  /** exec sessions (e.g. `uname -r`, ping) open at once across the whole room */
  execConcurrency: number;
  signal: AbortSignal;
  /** the progress record to read and keep (none: the cluster as it is now only) */
  journal?: Journal;
  /** every attendee's check result as it comes (podlab check --watch renders its one attendee from it) */
  onResult?: (attendee: string, r: RunResult) => void;
}

interface Connected {
  source: Source;
  cluster?: Cluster;
  snapshot?: Snapshot;
  view?: Cluster;
  reuse?: ResultReuse;
  namespace?: string;
  error?: string;
  /** this pass could not reload the snapshot (grade with `reload`): the source is unreachable for the pass */
  stale?: string;
}

/** The attendee namespaces one lab is graded in, over every source (a workshop's room is room/'s, not this). */
export class Cohort {
  private readonly connected: Connected[];
  private readonly execs: ExecBounds;
  private readonly attendeeLimit: LimitFunction;
  private names: Map<Connected, string[]> = new Map();
  private onChange?: () => void;

  private readonly lab: Plan['lab'];

  constructor(
    private readonly plan: Plan,
    private readonly o: CohortOptions,
  ) {
    this.lab = plan.lab;
    this.connected = o.sources.map((source) => ({ source }));
    this.execs = {
      limit: pLimit(Math.max(1, o.execConcurrency)),
      timeoutMs: GRADE_EXEC_TIMEOUT_MS,
      hung: new Set(),
      keptAfter: 0,
    };
    this.attendeeLimit = pLimit(Math.max(1, o.concurrency));
  }

  /**
   * Reads each context (once; later calls reuse the snapshots, which --watch keeps current) and grades everyone.
   * An attendee whose part of the snapshot is unchanged since their last check keeps its result (result-reuse.ts).
   * `full`: no result is reused, no exec result either: what a command in a pod shows is measured again.
   * `reload`: the snapshots are read again first (a grader that does not watch, called pass after pass).
   */
  async grade(o: { full?: boolean; reload?: boolean } = {}): Promise<GradeMatrix> {
    this.execs.hung.clear(); // a pod that hung last pass is asked again
    if (o.full) this.execs.keptAfter = Date.now();
    await Promise.all(this.connected.map((c) => this.open(c, o.reload)));
    const rows: Array<Promise<AttendeeGrade>> = [];
    for (const c of this.connected) {
      const names = this.names.get(c) ?? [];
      if (!c.view || c.stale) {
        const why = c.stale ?? c.error ?? 'not connected';
        rows.push(Promise.resolve(unreachable(c.source.label ?? '(cluster)', c.namespace ?? '', why)));
        continue;
      }
      c.reuse!.pass(Boolean(o.full));
      for (const ns of names) {
        const attendee = c.source.label ? (this.o.namespaces ? `${c.source.label}/${ns}` : c.source.label) : ns;
        rows.push(this.attendeeLimit(() => this.gradeOne(c, attendee, ns)));
      }
    }
    const matrix: GradeMatrix = {
      lab: this.lab.id,
      steps: labSteps(this.lab),
      attendees: await Promise.all(rows),
      generatedAt: new Date().toISOString(),
    };
    return { ...matrix, room: roomStats(matrix) };
  }

  /** The sources the last grading could not read at all, and why (each is also an unreachable row). */
  unreachable(): Array<{ source: Source; error: string }> {
    return this.connected
      .filter((c) => !c.view || c.stale)
      .map((c) => ({ source: c.source, error: c.stale ?? c.error ?? 'not connected' }));
  }

  /** Attendees the last pass checked, and those whose result from before it kept (their part was unchanged). */
  lastPass(): { checked: number; reused: number } {
    const counts = this.connected.map((c) => c.reuse?.counts ?? { checked: 0, reused: 0 });
    return { checked: counts.reduce((n, x) => n + x.checked, 0), reused: counts.reduce((n, x) => n + x.reused, 0) };
  }

  private async open(c: Connected, reload = false): Promise<void> {
    if (!c.cluster) {
      try {
        const { cluster, namespace } = c.source.connect();
        c.cluster = cluster;
        c.namespace = namespace ?? 'default';
      } catch (err) {
        c.error = describeError(err);
        return;
      }
    }
    c.stale = undefined;
    if (c.snapshot && reload) {
      try {
        await c.snapshot.load();
      } catch (err) {
        c.stale = `cannot read the cluster: ${describeError(err)}`;
        return;
      }
    } else if (!c.snapshot) {
      const snapshot = new Snapshot(c.cluster, () => this.names.get(c) ?? [c.namespace!]);
      try {
        // Names first when they are given outright, so a grader limited to those namespaces can still list in them.
        if (this.o.namespaces && !/[*?=!]/.test(this.o.namespaces))
          this.names.set(c, await resolveNamespaces(c.cluster, this.o.namespaces));
        await snapshot.load();
      } catch (err) {
        c.error = `cannot read the cluster: ${describeError(err)}`;
        return;
      }
      c.snapshot = snapshot;
      c.view = snapshotView(c.cluster, snapshot, this.execs);
      c.reuse = new ResultReuse(snapshot, this.o.journal, clusterId(c.cluster));
      c.error = undefined;
      if (this.onChange) snapshot.watch(this.onChange); // a context that came back while watching
    }
    // Re-resolved on every grading pass, in memory: a namespace created mid-workshop joins the matrix.
    this.names.set(c, this.o.namespaces ? await resolveNamespaces(c.view!, this.o.namespaces) : [c.namespace!]);
  }

  private async gradeOne(c: Connected, attendee: string, namespace: string): Promise<AttendeeGrade> {
    try {
      const view = c.view!;
      const progress = this.o.journal && { journal: this.o.journal, cluster: clusterId(view) };
      const r = await c.reuse!.result(namespace, () =>
        runLab(this.plan, { cluster: view, mode: 'check', namespace, signal: this.o.signal, progress }),
      );
      this.o.onResult?.(attendee, r);
      return gradeOf(labSteps(this.lab), attendee, namespace, r);
    } catch (err) {
      return unreachable(attendee, namespace, describeError(err));
    }
  }

  /** Keeps every snapshot current and calls `onChange` when something an attendee could have done changed. */
  watch(onChange: () => void): void {
    this.onChange = onChange;
    for (const c of this.connected) c.snapshot?.watch(onChange);
  }

  stop(): void {
    for (const c of this.connected) c.snapshot?.stop();
  }

  /** API calls made so far, over every context. */
  stats(): ApiStats {
    const total = newStats();
    for (const c of this.connected) {
      if (!c.cluster) continue;
      total.requests += c.cluster.stats.requests;
      total.watches += c.cluster.stats.watches;
      total.execs += c.cluster.stats.execs;
      for (const [k, v] of Object.entries(c.cluster.stats.byMethod)) total.byMethod[k] = (total.byMethod[k] ?? 0) + v;
    }
    return total;
  }
}
