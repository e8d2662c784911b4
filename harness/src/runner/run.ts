// podlab run / check / solve: a lab's planned steps against one namespace. In run and solve each step's text
// (its shell blocks for this platform) is typed into one shell session, then its check decides "done".
import { randomBytes } from 'node:crypto';
import type { Plan, PlannedStep } from '../plan/plan.js';
import { blocksFor, selectSteps } from '../plan/plan.js';
import type { Platform } from '../plan/blocks.js';
import type { SandboxRuntime, StepContext } from '../scenario/types.js';
import { makeContext } from '../scenario/context.js';
import { StepProcesses } from '../scenario/processes.js';
import { Cluster, LAB_LABEL, MANAGED_BY, RUN_LABEL } from '../k8s/cluster.js';
import { detectSandbox } from '../k8s/detect.js';
import { describeError, type RetryRecord } from '../k8s/retry.js';
import { EnvironmentError, UsageError } from '../errors.js';
import type { RunResult, StepResult } from '../report/model.js';
import { ShellSession } from '../shell/session.js';
import { executeStep } from './steps.js';
import { ordering, runOrdered } from './schedule.js';
import { runText } from './text.js';
import { NamespaceClaims } from './claims.js';
import { attendeeEnv, shellKubeconfig } from './attendee.js';
import { detectPlatform } from './platform.js';
import { createNamespace, deleteAndAudit, requireNamespace } from './namespace.js';

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
  onStep?: (r: StepResult) => void;
  log?: (message: string) => void;
}

export async function runLab(plan: Plan, o: RunOptions): Promise<RunResult> {
  const { lab } = plan;
  const started = Date.now();
  const runId = `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
  const { steps: selected, problem } = selectSteps(plan, o);
  if (problem) throw new UsageError(problem);
  const sandbox = await detect(o);
  const platform = o.mode === 'check' ? undefined : o.platform ?? await detectPlatform(o.cluster, sandbox);
  const textMode = o.mode !== 'check' && (o.via ?? 'text') === 'text';
  const namespace = o.namespace ?? `podlab-${lab.id}-${runId}`.slice(0, 63).replace(/-+$/, '');
  const labels: Record<string, string> = { [MANAGED_BY]: 'podlab', [RUN_LABEL]: runId, [LAB_LABEL]: lab.id };
  const result: RunResult = {
    lab: lab.id, runId, namespace, mode: o.mode, sandbox: sandbox?.name, ...(platform ? { platform } : {}), startedAt: new Date(started).toISOString(),
    durationMs: 0, steps: [], retries: o.cluster.retries, ok: false,
  };
  const log = o.log ?? (() => {});
  const performed: PlannedStep[] = [];
  let session: ShellSession | undefined;
  let claims: NamespaceClaims | undefined;
  let kubeconfigForShell: { path?: string; remove(): void } | undefined;
  const contextFor = (signal: AbortSignal, evidence: Record<string, unknown>, processes: StepProcesses) => makeContext({
    cluster: o.cluster, root: lab.root, namespace, runId, labId: lab.id, labels, sandbox,
    readOnly: o.mode === 'check', signal, kubeconfigPath: o.kubeconfigPath, evidence, log, processes,
  });
  try {
    if (o.mode === 'run') await createNamespace(o.cluster, namespace, labels, o.signal);
    else await requireNamespace(o.cluster, namespace, o.mode === 'solve' ? labels : undefined, o.signal);
    // The text before the first selected step (--from, --step) is typed first: its variables are the attendee's.
    const prelude = textMode ? plan.steps.slice(0, plan.steps.indexOf(selected[0]!)).flatMap((p) => blocksFor(p, platform!)) : [];
    if (textMode && (prelude.length || selected.some((p) => blocksFor(p, platform!).length))) {
      kubeconfigForShell = shellKubeconfig(o.cluster.kubeconfig, o.kubeconfigPath);
      session = new ShellSession({ cwd: lab.root, env: attendeeEnv({ namespace, kubeconfig: kubeconfigForShell.path }) });
      if (o.mode === 'run') {
        claims = new NamespaceClaims(o.cluster, labels);
        await claims.start();
      }
    }
    // With a shell, steps start in lab order and each one's text waits for the text before it; a step's check
    // may still run while the next step's text is typed (a step that runs alone waits for all of them).
    const typing = session ? new TextTurns(selected.length) : undefined;
    const perform = (p: PlannedStep, i: number) => async (ctx: StepContext) => {
      const own = textMode && !p.step.runInstead ? blocksFor(p, platform!) : [];
      const typed = [...(i === 0 ? prelude : []), ...own];
      try {
        if (typed.length) {
          await runText(typed, { session: session!, root: lab.root, signal: ctx.signal, note: ctx.evidence,
            afterBlock: claims && (async (b, out) => { await claims!.afterBlock(`${b.content}\n${out.stdout}\n${out.stderr}`); }) });
        }
      } catch (err) {
        typing?.end(i, true);
        throw err;
      }
      typing?.end(i, false);
      if (!own.length && p.step.run) await p.step.run(ctx);
    };
    const order = { ...ordering(selected), inOrder: Boolean(typing) };
    const failedModules = new Set<string>();
    const results: StepResult[] = [];
    // Steps that did not get done: failed, or skipped because a step before them failed.
    const undone = new Set<number>();
    const runStep = async (p: PlannedStep, i: number): Promise<StepResult> => {
      const moduleId = p.module.frontMatter.id;
      // The text before this step's must have been typed; if it failed in this module, this step is skipped.
      if (typing && i > 0 && (await typing.ended(i - 1)) && selected[i - 1]!.module === p.module) failedModules.add(moduleId);
      const missing = order.needs[i]!.find((j) => undone.has(j));
      const blocked = o.mode === 'check' ? undefined
        : missing !== undefined ? `it runs after ${selected[missing]!.step.id}, which ${results[missing]?.status === 'fail' ? 'failed' : 'was skipped'}`
          : failedModules.has(moduleId) ? 'an earlier step of this module failed' : undefined;
      const skip = o.signal.aborted ? 'run interrupted'
        : blocked ?? (p.module.frontMatter.requires?.includes('sandbox-runtime') && !sandbox ? 'the cluster has no sandbox RuntimeClass (kata-*, gvisor); run `podlab doctor`'
          : undefined);
      if (blocked) undone.add(i);
      if (skip) {
        typing?.end(i, false);
        return { id: p.step.id, title: p.step.title, module: moduleId, status: 'skip', reason: skip, attempts: 0, durationMs: 0 };
      }
      if (o.mode !== 'check') performed.push(p);
      const retriesBefore = o.cluster.retries.length;
      const r = await executeStep(p.step, {
        perform: o.mode === 'check' ? undefined : perform(p, i), retry: o.mode !== 'check', module: moduleId, signal: o.signal, makeContext: contextFor,
      });
      typing?.end(i, r.status === 'fail'); // a step that failed before its text ran (a timeout) still passes the turn on
      return withRetries(r, o.cluster.retries.slice(retriesBefore));
    };
    // A step is skipped or started when it starts, so a failure skips only the steps that have not started
    // yet. Results are recorded and reported in lab order, each once every step before it has ended.
    await runOrdered(order, async (i) => {
      const r = await runStep(selected[i]!, i);
      if (r.status === 'fail') {
        failedModules.add(r.module);
        undone.add(i);
      }
      results[i] = r;
      for (let next = result.steps.length; results[next]; next++) {
        result.steps.push(results[next]!);
        o.onStep?.(results[next]!);
      }
    });
  } finally {
    // The shell goes first: whatever it still runs (a port-forward, a watch) must not outlive the run.
    await session?.close();
    kubeconfigForShell?.remove();
    if (o.mode === 'run' && !o.keep) {
      result.teardown = await teardown(performed, contextFor, o.cluster, [namespace, ...(claims?.claimed ?? [])], runId);
      o.onStep?.(result.teardown);
    }
    if (o.signal.aborted) result.interrupted = describeError(o.signal.reason ?? 'interrupted');
    result.durationMs = Date.now() - started;
    result.api = { ...o.cluster.stats, byMethod: { ...o.cluster.stats.byMethod } };
    result.ok = !result.interrupted && [...result.steps, ...(result.teardown ? [result.teardown] : [])].every((s) => s.status !== 'fail');
  }
  return result;
}

/** Attaches the API retries seen during a step; a failed step whose API server stopped answering says so. */
function withRetries(r: StepResult, retries: RetryRecord[]): StepResult {
  if (!retries.length) return r;
  const last = retries.at(-1)!;
  const apiDown = r.status === 'fail' && !/did not answer/.test(r.reason ?? '')
    && Date.parse(last.at) >= Date.now() - r.durationMs && Date.now() - Date.parse(last.at) < 15_000;
  return { ...r, retries, reason: apiDown ? `${r.reason}; the API server was not answering (${retries.length} retries, last: ${last.error})` : r.reason };
}

async function detect(o: RunOptions): Promise<SandboxRuntime | undefined> {
  let classes;
  try {
    classes = (await o.cluster.node.listRuntimeClass()).items;
  } catch (err) {
    throw new EnvironmentError(`cannot reach the cluster: ${describeError(err)} (is it up? try \`podlab cluster status\` or \`podlab doctor\`)`);
  }
  if (o.sandboxRuntime === 'none') return undefined;
  if (o.sandboxRuntime) {
    const rc = classes.find((c) => c.metadata?.name === o.sandboxRuntime);
    if (!rc) throw new UsageError(`--sandbox-runtime ${o.sandboxRuntime}: no such RuntimeClass`);
    return detectSandbox([rc]) ?? { name: o.sandboxRuntime, handler: rc.handler, profile: 'custom' };
  }
  return detectSandbox(classes);
}

/** Scenario cleanups (last step first), then the run's namespaces and the leak audit. Runs even after SIGINT. */
async function teardown(performed: PlannedStep[], contextFor: (s: AbortSignal, e: Record<string, unknown>, p: StepProcesses) => StepContext,
  cluster: Cluster, namespaces: string[], runId: string): Promise<StepResult> {
  const started = Date.now();
  const problems: string[] = [];
  const signal = AbortSignal.timeout(180_000);
  for (const p of [...performed].reverse()) {
    if (!p.step.cleanup) continue;
    const processes = new StepProcesses(signal);
    try {
      await p.step.cleanup(contextFor(signal, {}, processes));
    } catch (err) {
      problems.push(`cleanup of ${p.step.id}: ${describeError(err)}`);
    }
    // A cleanup must not leave processes behind either.
    await processes.stop();
  }
  return deleteAndAudit(cluster, namespaces, runId, problems, started);
}

/** When each step's text has been typed, and whether it failed. */
class TextTurns {
  private readonly done: Array<{ promise: Promise<boolean>; resolve: (failed: boolean) => void }>;

  constructor(n: number) {
    this.done = Array.from({ length: n }, () => {
      let resolve!: (failed: boolean) => void;
      const promise = new Promise<boolean>((r) => { resolve = r; });
      return { promise, resolve };
    });
  }

  /** Resolves with true when step i's text failed; the first call for a step wins. */
  ended(i: number): Promise<boolean> { return this.done[i]!.promise; }
  end(i: number, failed: boolean): void { this.done[i]!.resolve(failed); }
}
