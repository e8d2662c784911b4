// One cluster connection: typed clients, watch-based waits, exec over the API, labelled apply, leak audit.
import {
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  NetworkingV1Api,
  NodeV1Api,
  type KubernetesObject,
  type V1Namespace,
  type V1Pod,
} from '@kubernetes/client-node';
import type { ExecResult } from './types.js';
import { isNotFound, retrying, type RetryRecord } from './retry.js';
import { counted, newStats, type ApiStats } from './counted.js';
import { applyManifest, type ApplyOptions } from './apply.js';
import { WaitTimeout } from '../errors.js';
import { execInPod, type ExecOptions } from './exec.js';
import { watchOnce } from './watch-once.js';
import { labelledObjects } from './leak-audit.js';

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const RUN_LABEL = 'podlab.dev/run';
export const LAB_LABEL = 'podlab.dev/lab';

export class Cluster {
  readonly core: CoreV1Api;
  readonly node: NodeV1Api;
  readonly networking: NetworkingV1Api;
  readonly objects: KubernetesObjectApi;
  readonly retries: RetryRecord[] = [];
  /** every request, watch and exec this connection made */
  readonly stats: ApiStats = newStats();

  /** how long an API server that does not answer (refused, reset, 5xx, 429) is retried, with backoff */
  readonly retryBudgetMs: number;

  constructor(
    readonly kubeconfig: KubeConfig,
    opts: { retryBudgetMs?: number } = {},
  ) {
    this.retryBudgetMs = opts.retryBudgetMs ?? 30_000;
    // Every call, including a scenario's own ctx.core.*, rides out a short API outage the same way.
    const wrap = <T extends object>(api: T) =>
      counted(retrying(api, { log: this.retries, budgetMs: this.retryBudgetMs }), this.stats);
    this.core = wrap(kubeconfig.makeApiClient(CoreV1Api));
    this.node = wrap(kubeconfig.makeApiClient(NodeV1Api));
    this.networking = wrap(kubeconfig.makeApiClient(NetworkingV1Api));
    this.objects = wrap(KubernetesObjectApi.makeApiClient(kubeconfig));
  }

  /**
   * Watch one object until the predicate holds; the current state is listed first, so nothing is missed. An abort
   * rejects before it stops the watch, whose end would otherwise settle the wait as 'ended' and let it run on.
   */
  async waitFor<T extends KubernetesObject>(opts: {
    path: string;
    name: string;
    predicate: (obj: T) => boolean;
    timeoutMs: number;
    signal?: AbortSignal;
    what: string;
    list: () => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>;
  }): Promise<T> {
    const deadline = Date.now() + opts.timeoutMs;
    let last: T | undefined;
    for (;;) {
      const listed = await opts.list();
      last = listed.items.find((o) => o.metadata?.name === opts.name) ?? last;
      if (last && opts.predicate(last)) return last;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new WaitTimeout(opts.what, opts.timeoutMs, last);
      if (opts.signal?.aborted) throw new Error(`${opts.what}: aborted`);
      this.stats.watches++;
      const outcome = await watchOnce<T>(this.kubeconfig, {
        path: opts.path,
        name: opts.name,
        resourceVersion: listed.metadata?.resourceVersion,
        remainingMs: remaining,
        signal: opts.signal,
        what: opts.what,
        onObject: (obj) => {
          last = obj;
          return opts.predicate(obj);
        },
      });
      if (outcome === 'matched' && last) return last;
      if (outcome === 'timeout') throw new WaitTimeout(opts.what, opts.timeoutMs, last);
    }
  }

  waitForPod(
    namespace: string,
    name: string,
    predicate: (p: V1Pod) => boolean,
    timeoutMs = 120_000,
    signal?: AbortSignal,
  ): Promise<V1Pod> {
    return this.waitFor<V1Pod>({
      path: `/api/v1/namespaces/${namespace}/pods`,
      name,
      predicate,
      timeoutMs,
      signal,
      what: `pod ${namespace}/${name}`,
      list: () => this.core.listNamespacedPod({ namespace, fieldSelector: `metadata.name=${name}` }),
    });
  }

  /** Runs argv in a pod's container through the API (no kubectl), counted as one exec. */
  async exec(namespace: string, pod: string, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const container =
      opts.container ?? (await this.core.readNamespacedPod({ name: pod, namespace })).spec?.containers[0]?.name ?? '';
    this.stats.execs++;
    return execInPod(this.kubeconfig, { namespace, pod, container, argv }, opts);
  }

  /** Server-side apply of a multi-document manifest with `${VAR}` substitution, namespace and labels injected. */
  apply(file: string, opts: ApplyOptions): Promise<KubernetesObject[]> {
    return applyManifest(this.objects, file, opts);
  }

  /** Namespaced and cluster-scoped objects that carry the run label (what a teardown must leave at zero; leak-audit.ts). */
  labelled(selector: string): Promise<string[]> {
    return labelledObjects(this, selector);
  }

  async deleteNamespace(name: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    try {
      await this.core.deleteNamespace({ name, gracePeriodSeconds: 0, propagationPolicy: 'Background' });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    await this.untilNamespace(name, `namespace ${name} deletion`, () => false, timeoutMs, signal);
  }

  /**
   * A namespace that an earlier deletion (another room's `room down`) is still removing, waited for until it is gone:
   * nothing can be made in a namespace being deleted. A namespace that is not being deleted returns at once.
   */
  async namespaceSettled(name: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const what = `namespace ${name}, still being deleted,`;
    await this.untilNamespace(name, what, (ns) => ns.status?.phase !== 'Terminating', timeoutMs, signal);
  }

  /** Watches one namespace until the predicate holds or it is gone (both end the wait). */
  private async untilNamespace(
    name: string,
    what: string,
    predicate: (ns: V1Namespace) => boolean,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.waitFor({
      path: '/api/v1/namespaces',
      name,
      timeoutMs,
      signal,
      what,
      predicate,
      list: async () => {
        const l = await this.core.listNamespace({ fieldSelector: `metadata.name=${name}` });
        if (l.items.length === 0) throw GONE;
        return l;
      },
    }).catch((err: unknown) => {
      if (err !== GONE) throw err;
    });
  }
}

/** Thrown out of the wait's list once the namespace is gone: the wait's end, not an error. */
const GONE = Symbol('namespace gone');
