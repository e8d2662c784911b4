// One run of a lab: its namespace, its shell (when it types the text), its steps in order, its teardown.
import { randomBytes } from 'node:crypto';
import type { Plan, PlannedBlock, PlannedStep } from '../plan/plan.js';
import { blocksFor, selectSteps } from '../plan/plan.js';
import type { Platform } from '../plan/blocks.js';
import type { SandboxRuntime, StepContext } from '../scenario/types.js';
import { makeContext } from '../scenario/context.js';
import type { StepProcesses } from '../proc/processes.js';
import { LAB_LABEL, MANAGED_BY, RUN_LABEL } from '../k8s/cluster.js';
import { UsageError } from '../errors.js';
import type { RunResult } from '../report/model.js';
import { emptyResult, finishResult } from './result.js';
import { ShellSession } from '../shell/session.js';
import { runText } from './text.js';
import { NamespaceClaims } from './claims.js';
import { attendeeEnv, embeddedKubectlDir, shellKubeconfig } from './attendee.js';
import { detectPlatform, sandboxFor } from './platform.js';
import { createNamespace, requireNamespace } from './namespace.js';
import { teardown } from './teardown.js';
import { StepLoop } from './step-loop.js';
import { Progress } from './progress.js';
import { clusterId } from '../k8s/kubeconfig.js';
import { requireRunAccess } from '../k8s/access.js';
import type { RunOptions } from './run.js';
import { RunLease } from './lease.js';
import { reapAbandoned } from './reaper.js';

const runNamespace = (plan: Plan, runId: string) => `podlab-${plan.lab.id}-${runId}`.slice(0, 63).replace(/-+$/, '');

/** check mode: the record (or, with --no-record, prerequisites alone) for this attendee's namespace. */
function progressFor(o: RunOptions, namespace: string, uid: string | undefined, plan: Plan): Progress {
  const p = uid && o.progress ? o.progress : { cluster: clusterId(o.cluster) };
  return new Progress(p, { cluster: p.cluster, namespace, uid: uid ?? '' }, plan.lab.id, plan.steps);
}

export class LabRun {
  readonly result: RunResult;
  readonly performed: PlannedStep[] = [];
  private session: ShellSession | undefined;
  private claims: NamespaceClaims | undefined;
  private kubeconfigForShell: { path: string; remove(): void } | undefined;
  private lease: RunLease | undefined;
  private reaping: Promise<unknown> | undefined;
  private readonly labels: Record<string, string>;
  private readonly started = Date.now();
  /** check mode with a progress record: applied to each result as it is reported */
  progress: Progress | undefined;

  private constructor(
    readonly plan: Plan,
    readonly o: RunOptions,
    readonly selected: PlannedStep[],
    readonly sandbox: SandboxRuntime | undefined,
    readonly platform: Platform | undefined,
    runId: string,
  ) {
    const namespace = o.namespace ?? runNamespace(plan, runId);
    this.labels = { [MANAGED_BY]: 'podlab', [RUN_LABEL]: runId, [LAB_LABEL]: plan.lab.id };
    this.result = emptyResult(plan.lab.id, runId, namespace, o, sandbox?.name, platform, this.started);
  }

  /** Which steps, which sandbox, which platform: asks the cluster, creates nothing. */
  static async prepare(plan: Plan, o: RunOptions): Promise<LabRun> {
    const { steps, problem } = selectSteps(plan, o);
    if (problem) throw new UsageError(problem);
    const sandbox = await sandboxFor(o.cluster, o.sandboxRuntime);
    const platform = o.mode === 'check' ? undefined : (o.platform ?? (await detectPlatform(o.cluster, sandbox)));
    const runId = `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
    if (o.mode === 'run') await requireRunAccess(o.cluster, o.namespace ?? runNamespace(plan, runId));
    return new LabRun(plan, o, steps, sandbox, platform, runId);
  }

  get typesText(): boolean {
    return this.o.mode !== 'check' && (this.o.via ?? 'text') === 'text';
  }
  get shell(): ShellSession | undefined {
    return this.session;
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
    if (!this.typesText || ![...this.prelude(), ...this.selected.flatMap((p) => this.blocksOf(p))].length) return;
    this.kubeconfigForShell = shellKubeconfig(o.cluster.kubeconfig, o.kubeconfigPath);
    this.session = new ShellSession({
      cwd: this.plan.lab.root,
      env: attendeeEnv({
        namespace: result.namespace,
        kubeconfig: this.kubeconfigForShell.path,
        kubectlDir: embeddedKubectlDir,
      }),
    });
    if (o.mode === 'run') {
      this.claims = new NamespaceClaims(o.cluster, this.labels, this.lease!);
      await this.claims.start();
    }
  }

  /** Abandoned runs (their lease lapsed) are deleted beside this one; said, and kept in the result. */
  private async reap(): Promise<void> {
    const note = (line: string) => this.o.onNote?.(line);
    const reaped = await reapAbandoned(this.o.cluster, note, AbortSignal.timeout(180_000));
    if (reaped.length)
      this.result.reaped = reaped.map((r) => ({ runId: r.runId, namespaces: r.namespaces, lastSeen: r.lastSeen }));
  }

  async steps(): Promise<void> {
    await new StepLoop(this).all();
    this.progress?.save();
  }

  /** The blocks this run types for a step (none when run() replaces its text). */
  blocksOf(p: PlannedStep): PlannedBlock[] {
    return this.typesText && !p.step.runInstead ? blocksFor(p, this.platform!) : [];
  }

  /** The text before the first selected step (--from, --step): typed first, so its variables are the attendee's. */
  prelude(): PlannedBlock[] {
    const first = this.plan.steps.indexOf(this.selected[0]!);
    return this.typesText ? this.plan.steps.slice(0, Math.max(first, 0)).flatMap((p) => this.blocksOf(p)) : [];
  }

  /** Types the blocks into the shell, noting namespaces they make (run mode). */
  async type(blocks: PlannedBlock[], ctx: StepContext): Promise<void> {
    const claims = this.claims;
    await runText(blocks, {
      session: this.session!,
      root: this.plan.lab.root,
      signal: ctx.signal,
      note: ctx.evidence,
      platform: this.platform,
      outputUpdates: this.o.outputUpdates,
      afterBlock:
        claims &&
        (async (b, out) => {
          await claims.afterBlock(`${b.content}\n${out.stdout}\n${out.stderr}`);
        }),
    });
  }

  readonly contextFor = (
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
    await this.session?.close();
    this.kubeconfigForShell?.remove();
    if (o.mode === 'run' && !o.keep) {
      result.teardown = await teardown(
        this.performed,
        this.contextFor,
        o.cluster,
        [result.namespace, ...(this.claims?.claimed ?? [])],
        result.runId,
      );
      o.onStep?.(result.teardown);
    }
    if (o.keep) await this.lease?.keep([result.namespace, ...(this.claims?.claimed ?? [])]);
    this.lease?.stop();
    await this.reaping;
    finishResult(result, o, this.started);
  }
}
