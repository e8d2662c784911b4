// The namespace a run works in: made for the run (and torn down with everything the run made), or the attendee's.
import type { Cluster } from '../k8s/cluster.js';
import { RUN_LABEL } from '../k8s/cluster.js';
import { describeError, isNotFound } from '../k8s/retry.js';
import { UsageError } from '../errors.js';
import type { StepResult } from '../report/model.js';

export async function createNamespace(cluster: Cluster, name: string, labels: Record<string, string>, signal: AbortSignal) {
  await cluster.core.createNamespace({ body: { metadata: { name, labels } } });
  // Pods cannot be created before the namespace's default ServiceAccount exists.
  await cluster.waitFor({
    path: `/api/v1/namespaces/${name}/serviceaccounts`, name: 'default', timeoutMs: 60_000, signal, what: `ServiceAccount ${name}/default`,
    predicate: () => true, list: () => cluster.core.listNamespacedServiceAccount({ namespace: name }),
  });
}

export async function requireNamespace(cluster: Cluster, name: string, createWith: Record<string, string> | undefined, signal: AbortSignal) {
  try {
    await cluster.core.readNamespace({ name });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    if (!createWith) throw new UsageError(`namespace ${name} does not exist (create it with \`kubectl create namespace ${name}\`)`);
    const { [RUN_LABEL]: _run, ...labels } = createWith;
    await createNamespace(cluster, name, labels, signal);
  }
}

/** Deletes the namespaces, then audits that nothing labelled with the run is left: one result for the report. */
export async function deleteAndAudit(cluster: Cluster, namespaces: string[], runId: string, problems: string[], started: number): Promise<StepResult> {
  const retriesBefore = cluster.retries.length;
  const signal = AbortSignal.timeout(180_000);
  await Promise.all(namespaces.map((ns) => cluster.deleteNamespace(ns, 150_000, signal)
    .catch((err: unknown) => { problems.push(`delete namespace ${ns}: ${describeError(err)}`); })));
  let leaked: string[] = [];
  try {
    leaked = await cluster.labelled(`${RUN_LABEL}=${runId}`);
  } catch (err) {
    problems.push(`leak audit: ${describeError(err)}`);
  }
  if (leaked.length) problems.push(`leaked: ${leaked.join(', ')}`);
  return {
    id: 'teardown', title: 'teardown and leak audit', module: '(podlab)', status: problems.length ? 'fail' : 'pass',
    reason: problems.join('; ') || undefined, expected: `no object labelled ${RUN_LABEL}=${runId}`, actual: leaked,
    attempts: 1, durationMs: Date.now() - started, evidence: { namespace: namespaces[0], ...(namespaces.length > 1 ? { 'namespaces the text made': namespaces.slice(1) } : {}), leaked },
    ...(cluster.retries.length > retriesBefore ? { retries: cluster.retries.slice(retriesBefore) } : {}),
  };
}
