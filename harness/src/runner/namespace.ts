// The namespace a run works in: made for the run (and torn down with everything the run made), or the attendee's.
import type { Cluster } from '../k8s/cluster.js';
import { RUN_LABEL } from '../k8s/cluster.js';
import { isNotFound } from '../k8s/retry.js';
import { UsageError } from '../errors.js';

/** Creates the namespace and waits until pods can be made in it. */
export async function createNamespace(
  cluster: Cluster,
  name: string,
  labels: Record<string, string> = {},
  signal?: AbortSignal,
  annotations?: Record<string, string>,
) {
  await cluster.core.createNamespace({ body: { metadata: { name, labels, ...(annotations ? { annotations } : {}) } } });
  await defaultServiceAccount(cluster, name, signal);
}

/** Pods cannot be created before a namespace's default ServiceAccount exists: waits (by watch) for it. */
export async function defaultServiceAccount(cluster: Cluster, namespace: string, signal?: AbortSignal) {
  await cluster.waitFor({
    path: `/api/v1/namespaces/${namespace}/serviceaccounts`,
    name: 'default',
    timeoutMs: 60_000,
    signal,
    what: `ServiceAccount ${namespace}/default`,
    predicate: () => true,
    list: () => cluster.core.listNamespacedServiceAccount({ namespace }),
  });
}

/** The namespace's UID (what a progress record is keyed by); created first in solve mode when missing. */
export async function requireNamespace(
  cluster: Cluster,
  name: string,
  createWith: Record<string, string> | undefined,
  signal: AbortSignal,
): Promise<string | undefined> {
  try {
    return (await cluster.core.readNamespace({ name })).metadata?.uid;
  } catch (err) {
    if (!isNotFound(err)) throw err;
    if (!createWith)
      throw new UsageError(`namespace ${name} does not exist (create it with \`kubectl create namespace ${name}\`)`);
    const { [RUN_LABEL]: _run, ...labels } = createWith;
    await createNamespace(cluster, name, labels, signal);
    return (await cluster.core.readNamespace({ name })).metadata?.uid;
  }
}
