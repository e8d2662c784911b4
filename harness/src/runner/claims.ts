// Namespaces a run's text creates (`kubectl create namespace ...`) belong to the run: each is labelled with the
// run id as soon as the block that made it ends, so the teardown deletes it and the leak audit counts it.
import { PatchStrategy } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.js';
import { RUN_LABEL } from '../k8s/cluster.js';
import type { RunLease } from './lease.js';

export class NamespaceClaims {
  private known = new Set<string>();
  readonly claimed: string[] = [];

  constructor(
    private readonly cluster: Cluster,
    private readonly labels: Record<string, string>,
    private readonly lease: RunLease,
  ) {}

  /** The namespaces that exist before the run's first block: never the run's. */
  async start(): Promise<void> {
    this.known = new Set(await this.names());
  }

  /**
   * After a block: a namespace that appeared while it ran, that the block's text or output names, and that no
   * other podlab run has claimed, is this run's. The claim is a patch conditional on the namespace's
   * resourceVersion, so two runs cannot both claim one namespace.
   */
  async afterBlock(text: string): Promise<string[]> {
    const now = await this.names();
    const appeared = now.filter((n) => !this.known.has(n));
    this.known = new Set(now);
    const mine: string[] = [];
    for (const name of appeared.filter((n) => new RegExp(`(^|[^a-z0-9-])${n}($|[^a-z0-9-])`).test(text))) {
      if (await this.claim(name)) mine.push(name);
    }
    this.claimed.push(...mine);
    return mine;
  }

  private async names(): Promise<string[]> {
    return (await this.cluster.core.listNamespace()).items.map((n) => n.metadata?.name ?? '').filter(Boolean);
  }

  private async claim(name: string): Promise<boolean> {
    const ns = await this.cluster.core.readNamespace({ name }).catch(() => undefined);
    if (!ns || ns.metadata?.labels?.[RUN_LABEL] || ns.metadata?.deletionTimestamp) return false;
    try {
      await this.cluster.objects.patch(
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name,
            resourceVersion: ns.metadata?.resourceVersion,
            labels: this.labels,
            annotations: this.lease.annotations(),
          },
        },
        undefined,
        undefined,
        'podlab',
        undefined,
        PatchStrategy.MergePatch,
      );
      this.lease.hold(name);
      return true;
    } catch {
      return false; // changed meanwhile (another run's claim) or gone
    }
  }
}
