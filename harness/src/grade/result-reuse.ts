// Grading costs what changed, per attendee: the last check of a namespace is its result again while nothing it
// read changed. What a check reads is its part of the snapshot (the namespace itself, its pods and NetworkPolicies,
// the nodes and RuntimeClasses, which --watch keeps current), what the progress record says of it, and exec
// results kept for unchanged pods (exec-reuse.ts). A check that read anything else (trace.ts: the API server,
// another namespace, a wait, an exec that failed) is asked again on the next pass; so is everyone on a full
// regrade (--watch every --interval), which also catches what a check could learn in ways not traced (a command
// it starts itself through ctx.$, the time of day).
import type { KubernetesObject } from '@kubernetes/client-node';
import type { RunResult } from '../report/model.js';
import type { Journal } from '../progress/journal.js';
import type { Kind, Snapshot } from './snapshot.js';
import { traced } from './trace.js';

interface Kept {
  state: string;
  result: RunResult;
}

const versions = (items: KubernetesObject[] | undefined) =>
  items
    ?.map((o) => `${o.metadata?.uid}/${o.metadata?.resourceVersion}`)
    .sort()
    .join(',') ?? '-';

/** per kind, its objects by namespace (the namespaces by name); made once per listing the snapshot holds */
type Index = Map<string, KubernetesObject[]>;

export class ResultReuse {
  private readonly kept = new Map<string, Kept>();
  private readonly indexes = new WeakMap<KubernetesObject[], Index>();
  /** attendees the last pass checked, and those whose last result it reused */
  readonly counts = { checked: 0, reused: 0 };

  constructor(
    private readonly snapshot: Snapshot,
    private readonly journal: Journal | undefined,
    private readonly cluster: string,
  ) {}

  /** A new pass begins: a full one keeps no result from before. */
  pass(full: boolean): void {
    if (full) this.kept.clear();
    this.counts.checked = this.counts.reused = 0;
  }

  /** The namespace's last result while what it read is unchanged; else `check`'s, kept when it read nothing else. */
  async result(namespace: string, check: () => Promise<RunResult>): Promise<RunResult> {
    // Taken before the check: a change while it runs makes the next pass ask again.
    const state = this.stateOf(namespace);
    const kept = this.kept.get(namespace);
    if (kept?.state === state) {
      this.counts.reused++;
      return kept.result;
    }
    this.kept.delete(namespace);
    this.counts.checked++;
    const { trace, result } = traced(namespace, check);
    const r = await result;
    // Steps the record could not keep would be recorded by the next check: there must be one.
    if (!trace.outside.length && !this.journal?.writeFailed) this.kept.set(namespace, { state, result: r });
    return r;
  }

  /** Everything a check of `namespace` reads, as versions: equal strings, equal answers. */
  stateOf(namespace: string): string {
    const own = this.inNamespace('namespaces', namespace);
    const uid = own?.[0]?.metadata?.uid;
    const record = uid && this.journal ? this.journal.changesSeen({ cluster: this.cluster, namespace, uid }) : '-';
    return [
      versions(this.snapshot.items('nodes')),
      versions(this.snapshot.items('runtimeclasses')),
      [...this.snapshot.unavailable.keys()].join(','),
      versions(own),
      versions(this.inNamespace('pods', namespace)),
      versions(this.inNamespace('networkpolicies', namespace)),
      record,
    ].join(' | ');
  }

  /** This kind's objects in `namespace` (for 'namespaces', the namespace itself); undefined when not listed. */
  private inNamespace(kind: Kind, namespace: string): KubernetesObject[] | undefined {
    const items = this.snapshot.items(kind);
    if (!items) return undefined;
    let index = this.indexes.get(items);
    if (!index) {
      index = new Map();
      for (const o of items) {
        const key = (kind === 'namespaces' ? o.metadata?.name : o.metadata?.namespace) ?? '';
        const list = index.get(key);
        if (list) list.push(o);
        else index.set(key, [o]);
      }
      this.indexes.set(items, index);
    }
    return index.get(namespace) ?? [];
  }
}
