// One run of a lab: its namespace, its shell (when it types the text), its steps in order, its teardown.
import { randomBytes } from 'node:crypto';
import type { Plan, PlannedStep } from '../plan/plan.js';
import type { Platform } from '../plan/blocks.js';
import type { SandboxRuntime, StepContext } from '../scenario/types.js';
import { makeContext } from '../scenario/context.js';
import type { StepProcesses } from '../proc/processes.js';
import { LAB_LABEL, MANAGED_BY, RUN_LABEL } from '../k8s/cluster.js';
import type { RunResult } from '../report/model.js';
import { emptyResult, finishResult } from './result.js';
import { LabText } from './lab-text.js';
import { detectPlatform, sandboxFor } from './platform.js';
import { createNamespace, requireNamespace } from './namespace.js';
import { teardown } from './teardown.js';
import { StepLoop } from './step-loop.js';
import { Progress } from './progress.js';
import { clusterId } from '../k8s/kubeconfig.js';
import { requireRunAccess } from '../k8s/access.js';
import type { RunOptions } from './options.js';
import { RunLease } from './lease.js';
import { reapAbandoned } from './reaper.js';

const runNamespace = (plan: Plan, runId: string) => `podlab-${plan.lab.id}-${runId}`.slice(0, 63).replace(/-+$/, '');

/** check mode: the record (or, with --no-record, prerequisites alone) for this attendee's namespace. */
function progressFor(o: RunOptions, namespace: string, uid: string | undefined, plan: Plan): Progress {
  const p = uid && o.progress ? o.progress : { cluster: clusterId(o.cluster) };
  return new Progress(p, { cluster: p.cluster, namespace, uid: uid ?? '' }, plan.lab.id, plan.steps);
}

export class LabRun {
  /** filled by this run alone: its steps' results as they are reported, its teardown, its totals */
  readonly result: RunResult;
  /** the steps whose work began, for their cleanup() */
  private readonly performed: PlannedStep[] = [];
  private readonly text: LabText;
  private typesInTurn = false;
  private lease: RunLease | undefined;
  private reaping: Promise<unknown> | undefined;
  private readonly labels: Record<string, string>;
  private readonly started = Date.now();
  /** check mode: the progress record (or prerequisites alone), applied to each result as it is reported */
  private progress: Progress | undefined;

  private constructor(
    private readonly plan: Plan,
    private readonly o: RunOptions,
    private readonly selected: PlannedStep[],
    private readonly sandbox: SandboxRuntime | undefined,
    platform: Platform | undefined,
    runId: string,
  ) {
    const namespace = o.namespace ?? runNamespace(plan, runId);
    this.labels = { [MANAGED_BY]: 'podlab', [RUN_LABEL]: runId, [LAB_LABEL]: plan.lab.id };
    this.result = emptyResult(plan.lab.id, runId, namespace, o, sandbox?.name, platform, this.started);
    const typesText = o.mode !== 'check' && (o.via ?? 'text') === 'text';
    this.text = new LabText(plan, selected, typesText ? platform : undefined);
  }

  /** Which sandbox, which platform: asks the cluster, creates nothing. */
  static async prepare(plan: Plan, o: RunOptions): Promise<LabRun> {
    const sandbox = await sandboxFor(o.cluster, o.sandboxRuntime);
    const platform = o.mode === 'check' ? undefined : (o.platform ?? (await detectPlatform(o.cluster, sandbox)));
    const runId = `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
    if (o.mode === 'run') await requireRunAccess(o.cluster, o.namespace ?? runNamespace(plan, runId));
    return new LabRun(plan, o, o.steps ?? plan.steps, sandbox, platform, runId);
  }

  /** The namespace (made, or the attendee's), then the shell when the text is typed. */
  async open(): Promise<void> {
    const { o, result } = this;
    if (o.mode !== 'check') this.reaping = this.reap();
    if (o.mode === 'run') {
      this.lease = new RunLease(o.cluster);
      await createNamespace(o.cluster, result.namespace, this.labels, o.signal, this.lease.annotations());
      this.lease.hold(result.namespace);
    } else {
      const uid = await requireNamespace(
        o.cluster,
        result.namespace,
        o.mode === 'solve' ? this.labels : undefined,
        o.signal,
      );
      // A check always applies prerequisites; the record, when there is one, is read and kept too.
      if (o.mode === 'check') this.progress = progressFor(o, result.namespace, uid, this.plan);
    }
    o.onStart?.(result);
    const claim = this.lease && { labels: this.labels, lease: this.lease };
    const target = {
      cluster: o.cluster,
      kubeconfigPath: o.kubeconfigPath,
      namespace: result.namespace,
      claim,
      outputUpdates: o.outputUpdates,
    };
    this.typesInTurn = await this.text.open(target);
  }

  /** Abandoned runs (their lease lapsed) are deleted beside this one; said, and kept in the result. */
  private async reap(): Promise<void> {
    const note = (line: string) => this.o.onNote?.(line);
    const reaped = await reapAbandoned(this.o.cluster, note, AbortSignal.timeout(180_000));
    if (reaped.length)
      this.result.reaped = reaped.map((r) => ({ runId: r.runId, namespaces: r.namespaces, lastSeen: r.lastSeen }));
  }

  async steps(): Promise<void> {
    const { o, result } = this;
    await new StepLoop({
      steps: this.selected,
      perform: o.mode === 'check' ? undefined : this.text.perform,
      typesInTurn: this.typesInTurn,
      contextFor: this.contextFor,
      recorded: (p) => this.progress?.recorded(p.step.id),
      skips: { signal: o.signal, sandbox: Boolean(this.sandbox), followsFailures: o.mode !== 'check' },
      onStepStart: (p) => {
        if (o.mode !== 'check') this.performed.push(p);
        o.onStepStart?.(p.step.id);
      },
      onResult: (r) => {
        const shown = this.progress?.apply(r) ?? r;
        result.steps.push(shown);
        o.onStep?.(shown);
      },
    }).all();
    this.progress?.save();
  }

  private readonly contextFor = (
    signal: AbortSignal,
    evidence: Record<string, unknown>,
    processes: StepProcesses,
  ): StepContext =>
    makeContext({
      cluster: this.o.cluster,
      root: this.plan.lab.root,
      namespace: this.result.namespace,
      runId: this.result.runId,
      labId: this.plan.lab.id,
      labels: this.labels,
      sandbox: this.sandbox,
      readOnly: this.o.mode === 'check',
      signal,
      kubeconfigPath: this.o.kubeconfigPath,
      evidence,
      processes,
    });

  /** The shell first (nothing it started outlives the run), then the teardown; then the result's totals. */
  async close(): Promise<void> {
    const { o, result } = this;
    await this.text.close();
    const namespaces = [result.namespace, ...this.text.claimed];
    if (o.mode === 'run' && !o.keep) {
      result.teardown = await teardown(this.performed, this.contextFor, o.cluster, namespaces, result.runId);
      o.onTeardown?.(result.teardown);
    }
    if (o.keep) await this.lease?.keep(namespaces);
    this.lease?.stop();
    await this.reaping;
    finishResult(result, o, this.started);
  }
}
