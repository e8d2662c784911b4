// After a run: scenario cleanups (last step first), then the run's namespaces, then the leak audit.
import type { PlannedStep } from '../plan/plan.js';
import type { StepContext } from '../scenario/types.js';
import { StepProcesses } from '../proc/processes.js';
import type { Cluster } from '../k8s/cluster.js';
import { RUN_LABEL } from '../k8s/cluster.js';
import { describeError } from '../k8s/retry.js';
import type { TeardownResult } from '../report/model.js';

export type ContextFor = (
  signal: AbortSignal,
  evidence: Record<string, unknown>,
  processes: StepProcesses,
) => StepContext;

/** Runs even after SIGINT: it has its own time budget. One result for the report. */
export async function teardown(
  performed: PlannedStep[],
  contextFor: ContextFor,
  cluster: Cluster,
  namespaces: string[],
  runId: string,
): Promise<TeardownResult> {
  const started = Date.now();
  const retriesBefore = cluster.retries.length;
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
  await Promise.all(
    namespaces.map((ns) =>
      cluster.deleteNamespace(ns, 150_000, signal).catch((err: unknown) => {
        problems.push(`delete namespace ${ns}: ${describeError(err)}`);
      }),
    ),
  );
  let leaked: string[] = [];
  try {
    leaked = await cluster.labelled(`${RUN_LABEL}=${runId}`);
  } catch (err) {
    problems.push(`leak audit: ${describeError(err)}`);
  }
  if (leaked.length) problems.push(`leaked: ${leaked.join(', ')}`);
  return {
    id: 'teardown',
    title: 'teardown and leak audit',
    status: problems.length ? 'fail' : 'pass',
    reason: problems.join('; ') || undefined,
    expected: `no object labelled ${RUN_LABEL}=${runId}`,
    actual: leaked,
    attempts: 1,
    durationMs: Date.now() - started,
    evidence: {
      namespace: namespaces[0],
      ...(namespaces.length > 1 ? { 'namespaces the text made': namespaces.slice(1) } : {}),
      leaked,
    },
    ...(cluster.retries.length > retriesBefore ? { retries: cluster.retries.slice(retriesBefore) } : {}),
  };
}
