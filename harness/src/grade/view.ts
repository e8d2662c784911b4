// A Cluster whose reads come from a Snapshot: checks keep calling ctx.core.readNamespacedPod() and friends,
// but for a room of attendees those answers come from memory. Execs, being per attendee by nature, are
// bounded: a shared limit on how many at once, and a time limit each (see boundedExec). Anything the snapshot
// does not hold goes to the API server as usual.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { LimitFunction } from 'p-limit';
import type { Cluster } from '../k8s/cluster.js';
import type { Kind, Snapshot } from './snapshot.js';
import { fieldMatcher, labelMatcher } from './selectors.js';
import { ExecTimeout } from '../k8s/exec.js';
import { routeMethods, wrapApi, type ApiCall } from '../k8s/wrap-api.js';
import { ExecReuse } from './exec-reuse.js';
import { readFromSnapshot, readOutside } from './trace.js';

interface ReadArgs {
  name?: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

type Handler = (items: KubernetesObject[], a: ReadArgs) => unknown;

const notFound = (kind: string, a: ReadArgs) =>
  Object.assign(new Error(`HTTP 404: ${kind} "${a.name}"${a.namespace ? ` in ${a.namespace}` : ''} not found`), {
    code: 404,
    body: { kind: 'Status', reason: 'NotFound', message: `${kind} "${a.name}" not found`, code: 404 },
  });

const read =
  (kind: string, namespaced: boolean): Handler =>
  (items, a) => {
    const found = items.find(
      (o) => o.metadata?.name === a.name && (!namespaced || o.metadata?.namespace === a.namespace),
    );
    if (!found) throw notFound(kind, a);
    return found;
  };

/** undefined: the selector needs the server */
const list =
  (namespaced: boolean): Handler =>
  (items, a) => {
    const byLabel = labelMatcher(a.labelSelector);
    const byField = fieldMatcher(a.fieldSelector);
    if (!byLabel || !byField) return undefined;
    return {
      metadata: {},
      items: items.filter(
        (o) =>
          (!namespaced || !a.namespace || o.metadata?.namespace === a.namespace) &&
          byLabel(o.metadata?.labels) &&
          byField(o),
      ),
    };
  };

const ROUTES: Record<'core' | 'node' | 'networking', Record<string, [Kind, Handler]>> = {
  core: {
    readNamespace: ['namespaces', read('namespaces', false)],
    listNamespace: ['namespaces', list(false)],
    readNode: ['nodes', read('nodes', false)],
    listNode: ['nodes', list(false)],
    readNamespacedPod: ['pods', read('pods', true)],
    listNamespacedPod: ['pods', list(true)],
    listPodForAllNamespaces: ['pods', list(false)],
  },
  node: {
    readRuntimeClass: ['runtimeclasses', read('runtimeclasses', false)],
    listRuntimeClass: ['runtimeclasses', list(false)],
  },
  networking: {
    readNamespacedNetworkPolicy: ['networkpolicies', read('networkpolicies', true)],
    listNamespacedNetworkPolicy: ['networkpolicies', list(true)],
    listNetworkPolicyForAllNamespaces: ['networkpolicies', list(false)],
  },
};

/** A route's method answered from `snapshot`, or by the API server (`next`) when the snapshot cannot answer. */
const fromSnapshot =
  (snapshot: Snapshot, method: string, [kind, handler]: [Kind, Handler]) =>
  (next: ApiCall): ApiCall =>
  async (...args) => {
    const a = (args[0] === undefined ? {} : args[0]) as ReadArgs;
    const items = snapshot.items(kind);
    readFromSnapshot(kind, a);
    const answer = items && handler(items, a);
    if (answer !== undefined) return answer;
    readOutside(`${method}() asked the API server`);
    return next(a);
  };

function served<T extends object>(api: T, routes: Record<string, [Kind, Handler]>, snapshot: Snapshot): T {
  const answers = Object.entries(routes).map(([method, route]) => [method, fromSnapshot(snapshot, method, route)]);
  return wrapApi(api, [routeMethods(Object.fromEntries(answers))]);
}

/** How grading bounds the execs of a room: how many at once, how long each, and who already hung this pass. */
export interface ExecBounds {
  limit: LimitFunction;
  /** the longest one exec may take while grading, whatever the check asks */
  timeoutMs: number;
  /** namespaces where an exec timed out in this grading pass: their later execs fail at once */
  hung: Set<string>;
  /** exec results kept before this time are not reused: set by a full regrade */
  keptAfter: number;
}

/** Grading's limit on one exec: a check may ask for less, never more. */
export const GRADE_EXEC_TIMEOUT_MS = 20_000;

/**
 * An exec under the room's bounds: one attendee whose pod hangs costs the room one exec's time limit per pass,
 * not one per check, and holds a shared exec slot no longer than that.
 */
function boundedExec(cluster: Cluster, view: Cluster, bounds: ExecBounds, reuse: ExecReuse): Cluster['exec'] {
  const exec: Cluster['exec'] = async (namespace, pod, argv, opts = {}) => {
    if (bounds.hung.has(namespace))
      throw new Error(`not asked: an earlier exec in ${namespace} did not end within ${bounds.timeoutMs / 1000}s`);
    const timeoutMs = Math.min(opts.timeoutMs ?? bounds.timeoutMs, bounds.timeoutMs);
    try {
      return await bounds.limit(() => cluster.exec.call(view, namespace, pod, argv, { ...opts, timeoutMs }));
    } catch (err) {
      if (err instanceof ExecTimeout) bounds.hung.add(namespace);
      throw err;
    }
  };
  return async (namespace, pod, argv, opts = {}) => {
    const call = { namespace, pod, argv, container: opts.container };
    if (!reuse.keeps(call)) readOutside(`exec in ${namespace}/${pod}, which the snapshot does not hold`);
    try {
      const r = await reuse.result(call, () => exec(namespace, pod, argv, opts));
      if (r.code !== 0) readOutside(`exec in ${namespace}/${pod} ended ${r.code}`); // not kept: asked again
      return r;
    } catch (err) {
      readOutside(`exec in ${namespace}/${pod} failed`);
      throw err;
    }
  };
}

/** Waits and generic reads go to the API server: a check that uses them is asked again on every pass. */
function outside<K extends 'waitFor' | 'waitForPod' | 'labelled'>(cluster: Cluster, view: Cluster, name: K) {
  return {
    value: (...a: unknown[]) => {
      readOutside(`${name}() asked the API server`);
      return (cluster[name] as (...x: unknown[]) => unknown).apply(view, a);
    },
  };
}

/**
 * The cluster as grading sees it: same connection, retries and stats; reads from `snapshot`; execs bounded,
 * and reused while their pod and its namespace are unchanged (one view per context lives as long as the grading).
 */
export function snapshotView(cluster: Cluster, snapshot: Snapshot, execs: ExecBounds): Cluster {
  const view = Object.create(cluster) as Cluster;
  const core = served(cluster.core, ROUTES.core, snapshot);
  Object.defineProperties(view, {
    core: { value: core },
    node: { value: served(cluster.node, ROUTES.node, snapshot) },
    networking: { value: served(cluster.networking, ROUTES.networking, snapshot) },
    exec: { value: boundedExec(cluster, view, execs, new ExecReuse(snapshot, () => execs.keptAfter)) },
    waitFor: outside(cluster, view, 'waitFor'),
    waitForPod: outside(cluster, view, 'waitForPod'),
    labelled: outside(cluster, view, 'labelled'),
    objects: {
      get() {
        readOutside('objects asked the API server');
        return cluster.objects;
      },
    },
  });
  return view;
}
