// Grading costs what changed: an exec's result is kept for as long as the pod it ran in is the same pod in the
// same state (its UID and resourceVersion in the snapshot, which --watch keeps current). The next pass asks
// again only in pods that changed.
//
// What a command sees in a pod can also depend on the pod's neighbours: a ping answers or not as the target pod
// and the NetworkPolicies are, a CPU sample is as fast as the noisy pod beside it lets it be. So a kept result
// also stands only while the other pods and NetworkPolicies of its namespace are unchanged. And a command that
// failed (non-zero exit, or no answer) is not kept: its cause (a network not ready yet, a file not written yet)
// often leaves no trace in the API, and the next pass must be able to see it fixed. A sample that ran fine but
// measured a bad moment (a CPU window under passing load) leaves none either: the periodic full regrade of
// --watch (every --interval) keeps nothing from before it.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ExecResult } from '../k8s/types.js';
import type { Snapshot } from './snapshot.js';

interface Kept {
  version: string;
  at: number;
  result: Promise<ExecResult>;
}

export interface ExecCall {
  namespace: string;
  pod: string;
  container?: string;
  argv: string[];
}

export class ExecReuse {
  private readonly kept = new Map<string, Kept>();

  /** @param keptAfter results kept before this time are not reused (a full regrade measures everything again) */
  constructor(
    private readonly snapshot: Snapshot,
    private readonly keptAfter: () => number = () => 0,
  ) {}

  /** Whether a result of this call can be kept at all: its pod is in the snapshot. */
  keeps(call: ExecCall): boolean {
    return this.versionOf(call.namespace, call.pod) !== undefined;
  }

  /** `run`'s result, or the one kept for the same command in the same pod, unchanged since with its namespace. */
  result(call: ExecCall, run: () => Promise<ExecResult>): Promise<ExecResult> {
    const version = this.versionOf(call.namespace, call.pod);
    if (!version) return run(); // not in the snapshot: nothing says it is unchanged
    const key = JSON.stringify([call.namespace, call.pod, call.container ?? '', call.argv]);
    const kept = this.kept.get(key);
    if (kept?.version === version && kept.at >= this.keptAfter()) return kept.result;
    const result = run();
    this.kept.set(key, { version, result, at: Date.now() });
    const forget = () => {
      if (this.kept.get(key)?.result === result) this.kept.delete(key);
    };
    result.then((r) => r.code !== 0 && forget(), forget);
    return result;
  }

  /** The pod's UID and resourceVersion, then those of its namespace's pods and NetworkPolicies. */
  private versionOf(namespace: string, pod: string): string | undefined {
    const inNamespace = (o: KubernetesObject) => o.metadata?.namespace === namespace;
    const pods = this.snapshot.items('pods')?.filter(inNamespace) ?? [];
    const own = pods.find((o) => o.metadata?.name === pod)?.metadata;
    if (!own?.uid || !own.resourceVersion) return undefined;
    const around = [...pods, ...(this.snapshot.items('networkpolicies')?.filter(inNamespace) ?? [])];
    const versions = around.map((o) => `${o.metadata?.uid}/${o.metadata?.resourceVersion}`).sort();
    return [`${own.uid}/${own.resourceVersion}`, ...versions].join(' ');
  }
}
