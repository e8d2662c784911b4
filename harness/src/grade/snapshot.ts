// One read of the cluster for a whole room: each resource kind the checks read is listed once per context
// (and, with --watch, watched once per kind), then every attendee's checks are answered from memory.
import { Watch, type KubernetesObject } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.js';
import { describeError } from '../k8s/retry.js';

export type Kind = 'namespaces' | 'nodes' | 'runtimeclasses' | 'pods' | 'networkpolicies';

interface KindSpec {
  namespaced: boolean;
  /** watch path for all namespaces, or one */
  path(namespace?: string): string;
  list(c: Cluster, namespace?: string): Promise<{ items: KubernetesObject[]; metadata?: { resourceVersion?: string } }>;
}

const KINDS: Record<Kind, KindSpec> = {
  namespaces: { namespaced: false, path: () => '/api/v1/namespaces', list: (c) => c.core.listNamespace() },
  nodes: { namespaced: false, path: () => '/api/v1/nodes', list: (c) => c.core.listNode() },
  runtimeclasses: {
    namespaced: false,
    path: () => '/apis/node.k8s.io/v1/runtimeclasses',
    list: (c) => c.node.listRuntimeClass(),
  },
  pods: {
    namespaced: true,
    path: (ns) => (ns ? `/api/v1/namespaces/${ns}/pods` : '/api/v1/pods'),
    list: (c, ns) => (ns ? c.core.listNamespacedPod({ namespace: ns }) : c.core.listPodForAllNamespaces()),
  },
  networkpolicies: {
    namespaced: true,
    path: (ns) =>
      ns ? `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies` : '/apis/networking.k8s.io/v1/networkpolicies',
    list: (c, ns) =>
      ns
        ? c.networking.listNamespacedNetworkPolicy({ namespace: ns })
        : c.networking.listNetworkPolicyForAllNamespaces(),
  },
};

const SNAPSHOT_KINDS = Object.keys(KINDS) as Kind[];

interface Listing {
  items: KubernetesObject[];
  /** listed across all namespaces (one watch), or per namespace because the grader may only read those */
  scope: 'cluster' | string[];
  resourceVersion?: string;
}

const status = (err: unknown) => (err as { code?: unknown })?.code;

export class Snapshot {
  private readonly listings = new Map<Kind, Listing>();
  /** kinds the grader may not list at all: reads of them go to the API server (and fail there, visibly) */
  readonly unavailable = new Map<Kind, string>();
  private stopped = false;
  private readonly aborts = new Set<AbortController>();
  /**
   * Per kind, the number of the last load begun and of the newest one whose list was kept. Loads of one kind
   * can overlap (a watch's reload while a pass reloads); a list that comes back after a newer one is older than
   * what the snapshot holds, and is dropped.
   */
  private readonly begun = new Map<Kind, number>();
  private readonly kept = new Map<Kind, number>();

  /** @param namespaces where to list namespaced kinds when listing across all namespaces is forbidden */
  constructor(
    readonly cluster: Cluster,
    private namespaces: () => string[],
  ) {}

  async load(kinds: Kind[] = SNAPSHOT_KINDS): Promise<void> {
    await Promise.all(kinds.map((k) => this.loadKind(k)));
  }

  items(kind: Kind): KubernetesObject[] | undefined {
    return this.listings.get(kind)?.items;
  }

  /** Keeps a load's listing unless a load of the same kind begun after it was kept first. */
  private keep(kind: Kind, load: number, listing: Listing | string): void {
    if (load < (this.kept.get(kind) ?? 0)) return;
    this.kept.set(kind, load);
    if (typeof listing === 'string') {
      this.unavailable.set(kind, listing);
      return;
    }
    this.listings.set(kind, listing);
    this.unavailable.delete(kind);
  }

  private async loadKind(kind: Kind): Promise<void> {
    const spec = KINDS[kind];
    const load = (this.begun.get(kind) ?? 0) + 1;
    this.begun.set(kind, load);
    // The cluster's clients retry an API server that does not answer, for its retry budget.
    const list = (ns?: string) => spec.list(this.cluster, ns);
    try {
      const l = await list();
      this.keep(kind, load, { items: l.items, scope: 'cluster', resourceVersion: l.metadata?.resourceVersion });
      return;
    } catch (err) {
      if (status(err) !== 403) throw err;
      if (!spec.namespaced) return this.keep(kind, load, describeError(err));
    }
    // A grader bound per namespace (RoleBinding) may list pods in each attendee's namespace only.
    const namespaces = this.namespaces();
    const items: KubernetesObject[] = [];
    for (const ns of namespaces) {
      try {
        items.push(...(await list(ns)).items);
      } catch (err) {
        if (status(err) !== 403 && status(err) !== 404) throw err;
      }
    }
    this.keep(kind, load, { items, scope: namespaces });
  }

  /**
   * Watches every listed kind; `onChange` gets the kinds whose objects changed, after they were listed again
   * (events only say *that* something changed; a fresh list keeps the objects typed exactly as the API returns them).
   */
  watch(onChange: (kinds: Kind[]) => void, debounceMs = 300): void {
    const dirty = new Set<Kind>();
    let timer: NodeJS.Timeout | undefined;
    const flush = async () => {
      timer = undefined;
      const kinds = [...dirty];
      dirty.clear();
      try {
        await this.load(kinds);
      } catch {
        kinds.forEach((k) => dirty.add(k)); // the API is away; try again on the next event or restart
        return;
      }
      if (!this.stopped) onChange(kinds);
    };
    const mark = (kind: Kind) => {
      dirty.add(kind);
      timer ??= setTimeout(() => void flush(), debounceMs);
    };
    for (const kind of this.listings.keys()) {
      const listing = this.listings.get(kind)!;
      const paths =
        listing.scope === 'cluster' ? [KINDS[kind].path()] : listing.scope.map((ns) => KINDS[kind].path(ns));
      for (const path of paths)
        this.watchPath(kind, path, listing.scope === 'cluster' ? listing.resourceVersion : undefined, mark);
    }
  }

  private watchPath(kind: Kind, path: string, resourceVersion: string | undefined, mark: (k: Kind) => void): void {
    if (this.stopped) return;
    const ac = new AbortController();
    this.aborts.add(ac);
    const restart = () => {
      this.aborts.delete(ac);
      if (this.stopped) return;
      // The stream ended (timeout, API restart): list again so nothing between the two watches is lost.
      setTimeout(() => {
        mark(kind);
        this.watchPath(kind, path, undefined, mark);
      }, 1_000);
    };
    this.cluster.stats.watches++;
    new Watch(this.cluster.kubeconfig)
      .watch(
        path,
        { allowWatchBookmarks: true, ...(resourceVersion ? { resourceVersion } : {}) },
        (phase) => {
          if (phase !== 'BOOKMARK') mark(kind);
        },
        () => restart(),
      )
      .then(
        (controller) => {
          if (this.stopped) controller.abort();
          else ac.signal.addEventListener('abort', () => controller.abort(), { once: true });
        },
        () => restart(),
      );
  }

  stop(): void {
    this.stopped = true;
    for (const ac of this.aborts) ac.abort();
    this.aborts.clear();
  }
}
