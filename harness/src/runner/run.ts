// podlab run / check / solve: the lab's steps in order against one namespace.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Lab, LabModule } from '../model/types.js';
import type { Scenario, SandboxRuntime, StepDefinition } from '../scenario/types.js';
import { loadScenarios } from '../scenario/load.js';
import { makeContext } from '../scenario/context.js';
import { StepProcesses } from '../scenario/processes.js';
import { Cluster, LAB_LABEL, MANAGED_BY, RUN_LABEL } from '../k8s/cluster.js';
import { detectSandbox } from '../k8s/detect.js';
import { describeError, isNotFound, type RetryRecord } from '../k8s/retry.js';
import { EnvironmentError, UsageError } from '../k8s/kubeconfig.js';
import type { RunResult, StepResult } from '../report/model.js';
import { executeStep } from './steps.js';
import { ordering, runOrdered } from './schedule.js';
import { afterProblems } from '../scenario/after.js';

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
  signal: AbortSignal;
  onStep?: (r: StepResult) => void;
  log?: (message: string) => void;
}

interface PlannedStep { module: LabModule; scenario: Scenario; step: StepDefinition }

export async function runLab(lab: Lab, o: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const runId = `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
  const plan = await planSteps(lab, o);
  const sandbox = await detect(o);
  const namespace = o.namespace ?? `podlab-${lab.id}-${runId}`.slice(0, 63).replace(/-+$/, '');
  const labels: Record<string, string> = { [MANAGED_BY]: 'podlab', [RUN_LABEL]: runId, [LAB_LABEL]: lab.id };
  const result: RunResult = {
    lab: lab.id, runId, namespace, mode: o.mode, sandbox: sandbox?.name, startedAt: new Date(started).toISOString(),
    durationMs: 0, steps: [], retries: o.cluster.retries, ok: false,
  };
  const log = o.log ?? (() => {});
  const performed: PlannedStep[] = [];
  try {
    if (o.mode === 'run') await createNamespace(o.cluster, namespace, labels, o.signal);
    else await requireNamespace(o.cluster, namespace, o.mode === 'solve' ? labels : undefined, o.signal);
    const failedModules = new Set<string>();
    const order = ordering(plan);
    const results: StepResult[] = [];
    // Steps that did not get done: failed, or skipped because a step before them failed.
    const undone = new Set<number>();
    const runStep = (p: PlannedStep, i: number): Promise<StepResult> => {
      const moduleId = p.module.frontMatter.id;
      const missing = order.needs[i]!.find((j) => undone.has(j));
      const blocked = o.mode === 'check' ? undefined
        : missing !== undefined ? `it runs after ${plan[missing]!.step.id}, which ${results[missing]?.status === 'fail' ? 'failed' : 'was skipped'}`
          : failedModules.has(moduleId) ? 'an earlier step of this module failed' : undefined;
      const skip = o.signal.aborted ? 'run interrupted'
        : blocked ?? (p.module.frontMatter.requires?.includes('sandbox-runtime') && !sandbox ? 'the cluster has no sandbox RuntimeClass (kata-*, gvisor); run `podlab doctor`'
          : undefined);
      if (blocked) undone.add(i);
      if (skip) return Promise.resolve({ id: p.step.id, title: p.step.title, module: moduleId, status: 'skip', reason: skip, attempts: 0, durationMs: 0 });
      if (o.mode !== 'check') performed.push(p);
      const retriesBefore = o.cluster.retries.length;
      return executeStep(p.step, {
        perform: o.mode !== 'check', retry: o.mode !== 'check', module: moduleId, signal: o.signal,
        makeContext: (signal, evidence, processes) => makeContext({
          cluster: o.cluster, root: lab.root, namespace, runId, labId: lab.id, labels, sandbox,
          readOnly: o.mode === 'check', signal, kubeconfigPath: o.kubeconfigPath, evidence, log, processes,
        }),
      }).then((r) => withRetries(r, o.cluster.retries.slice(retriesBefore)));
    };
    // A step is skipped or started when it starts, so a failure skips only the steps that have not started
    // yet. Results are recorded and reported in lab order, each once every step before it has ended.
    await runOrdered(order, async (i) => {
      const r = await runStep(plan[i]!, i);
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
    if (o.mode === 'run' && !o.keep) {
      result.teardown = await teardown(o, lab, namespace, runId, labels, sandbox, performed);
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

async function planSteps(lab: Lab, o: RunOptions): Promise<PlannedStep[]> {
  const plan: PlannedStep[] = [];
  const scenarioFile = (m: LabModule) => resolve(lab.root, m.frontMatter.scenario ?? '');
  const loaded = await loadScenarios(lab.modules.map(scenarioFile));
  for (const m of lab.modules) {
    const file = scenarioFile(m);
    const { scenario, diagnostics } = loaded.get(file)!;
    if (!scenario) throw new UsageError(`${diagnostics[0]?.pos.file ?? file}:${diagnostics[0]?.pos.line ?? 1}: ${diagnostics[0]?.message ?? 'scenario cannot be loaded'} (run \`podlab lint\`)`);
    const byId = new Map(scenario.steps.map((s) => [s.id, s]));
    for (const s of m.steps) {
      const step = byId.get(s.id);
      if (!step) throw new UsageError(`${m.file}:${s.pos.line}: step \`${s.id}\` has no scenario step (run \`podlab lint\`)`);
      plan.push({ module: m, scenario, step: { ...step, title: s.title || step.title } });
    }
  }
  const problem = afterProblems(plan.map((p) => ({ file: scenarioFile(p.module), step: p.step })))[0];
  if (problem) throw new UsageError(`${problem.pos.file}:${problem.pos.line}: ${problem.message} (run \`podlab lint\`)`);
  const ids = plan.map((p) => p.step.id);
  for (const [flag, id] of [['--step', o.step], ['--from', o.from], ['--to', o.to]] as const) {
    if (id && !ids.includes(id)) throw new UsageError(`${flag} ${id}: no such step in lab ${lab.id} (steps: ${ids.join(', ')})`);
  }
  if (o.step) return plan.filter((p) => p.step.id === o.step);
  const from = o.from ? ids.indexOf(o.from) : 0;
  const to = o.to ? ids.indexOf(o.to) : ids.length - 1;
  return plan.slice(from, to + 1);
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

async function createNamespace(cluster: Cluster, name: string, labels: Record<string, string>, signal: AbortSignal) {
  await cluster.core.createNamespace({ body: { metadata: { name, labels } } });
  // Pods cannot be created before the namespace's default ServiceAccount exists.
  await cluster.waitFor({
    path: `/api/v1/namespaces/${name}/serviceaccounts`, name: 'default', timeoutMs: 60_000, signal, what: `ServiceAccount ${name}/default`,
    predicate: () => true, list: () => cluster.core.listNamespacedServiceAccount({ namespace: name }),
  });
}

async function requireNamespace(cluster: Cluster, name: string, createWith: Record<string, string> | undefined, signal: AbortSignal) {
  try {
    await cluster.core.readNamespace({ name });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    if (!createWith) throw new UsageError(`namespace ${name} does not exist (create it with \`kubectl create namespace ${name}\`)`);
    const { [RUN_LABEL]: _run, ...labels } = createWith;
    await createNamespace(cluster, name, labels, signal);
  }
}

async function teardown(o: RunOptions, lab: Lab, namespace: string, runId: string, labels: Record<string, string>,
  sandbox: SandboxRuntime | undefined, performed: PlannedStep[]): Promise<StepResult> {
  const started = Date.now();
  const retriesBefore = o.cluster.retries.length;
  const problems: string[] = [];
  // Teardown must run even after SIGINT: it gets its own signal and time budget.
  const signal = AbortSignal.timeout(180_000);
  for (const p of [...performed].reverse()) {
    if (!p.step.cleanup) continue;
    const processes = new StepProcesses(signal);
    try {
      await p.step.cleanup(makeContext({
        cluster: o.cluster, root: lab.root, namespace, runId, labId: lab.id, labels, sandbox, readOnly: false, signal,
        kubeconfigPath: o.kubeconfigPath, evidence: {}, log: o.log ?? (() => {}), processes,
      }));
    } catch (err) {
      problems.push(`cleanup of ${p.step.id}: ${describeError(err)}`);
    }
    // A cleanup must not leave processes behind either.
    await processes.stop();
  }
  try {
    await o.cluster.deleteNamespace(namespace, 150_000, signal);
  } catch (err) {
    problems.push(`delete namespace ${namespace}: ${describeError(err)}`);
  }
  let leaked: string[] = [];
  try {
    leaked = await o.cluster.labelled(`${RUN_LABEL}=${runId}`);
  } catch (err) {
    problems.push(`leak audit: ${describeError(err)}`);
  }
  if (leaked.length) problems.push(`leaked: ${leaked.join(', ')}`);
  return {
    id: 'teardown', title: 'teardown and leak audit', module: '(podlab)', status: problems.length ? 'fail' : 'pass',
    reason: problems.join('; ') || undefined, expected: 'no object labelled podlab.dev/run=' + runId, actual: leaked,
    attempts: 1, durationMs: Date.now() - started, evidence: { namespace, leaked },
    ...(o.cluster.retries.length > retriesBefore ? { retries: o.cluster.retries.slice(retriesBefore) } : {}),
  };
}
