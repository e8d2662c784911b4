// A run's lease: the namespaces a live run owns carry the time it last renewed them, so that another podlab can
// tell a live run from one killed with SIGKILL (a CI time-out, the OOM killer) and reap only the latter.
// The lease is two namespace annotations rather than a coordination.k8s.io Lease: a run already patches its
// namespaces, so it needs no extra grant, and a namespace cannot outlive its own lease.
import { KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.js';
import { envNumber } from '../numbers.js';

export const LEASE_RENEWED = 'podlab.dev/lease-renewed';
export const LEASE_SECONDS = 'podlab.dev/lease-seconds';
/** `podlab run --keep`: the run ended and left its namespace on purpose; never reaped. */
export const KEPT = 'podlab.dev/kept';

/** The lease's length: 60 s, or PODLAB_LEASE_SECONDS (2–3600) for a run that should be reaped sooner. */
function leaseSeconds(env: NodeJS.ProcessEnv = process.env): number {
  return envNumber('PODLAB_LEASE_SECONDS', env);
}

export class RunLease {
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  // Renewals go around the run's counted, retrying client: they are housekeeping, not the lab's API calls, and
  // a renewal missed during an API outage is simply made at the next tick.
  private readonly api: KubernetesObjectApi;

  constructor(
    cluster: Cluster,
    readonly seconds = leaseSeconds(),
  ) {
    this.api = KubernetesObjectApi.makeApiClient(cluster.kubeconfig);
  }

  /** The annotations a namespace is created (or claimed) with: a fresh lease. */
  annotations(): Record<string, string> {
    return { [LEASE_RENEWED]: new Date().toISOString(), [LEASE_SECONDS]: String(this.seconds) };
  }

  /** Renews the namespace's lease from now on, every third of its length. */
  hold(namespace: string): void {
    this.held.add(namespace);
    this.timer ??= setInterval(() => void this.renew(), (this.seconds * 1000) / 3).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Marks the namespaces as kept (`--keep`): the run is over, and its namespaces are the user's now. */
  async keep(namespaces: string[]): Promise<void> {
    this.stop();
    await Promise.all(
      namespaces.map((n) => this.annotate(n, { [KEPT]: new Date().toISOString() }).catch(() => undefined)),
    );
  }

  private async renew(): Promise<void> {
    await Promise.all(
      [...this.held].map((n) => this.annotate(n, { [LEASE_RENEWED]: new Date().toISOString() }).catch(() => undefined)),
    );
  }

  private annotate(name: string, annotations: Record<string, string>) {
    return this.api.patch(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name, annotations } },
      undefined,
      undefined,
      'podlab',
      undefined,
      PatchStrategy.MergePatch,
    );
  }
}
