// Grading costs what changed: an exec's result is kept for as long as the pod it ran in is the same pod in the
// same state (its UID and resourceVersion in the snapshot, which --watch keeps current). The next pass asks
// again only in pods that changed. A failed exec is not kept.
import type { ExecResult } from '../k8s/types.js';
import type { Snapshot } from './snapshot.js';

interface Kept {
  version: string;
  result: Promise<ExecResult>;
}

export class ExecReuse {
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly snapshot: Snapshot) {}

  /** `run`'s result, or the one kept for the same command in the same pod, unchanged since. */
  result(
    namespace: string,
    pod: string,
    argv: string[],
    container: string | undefined,
    run: () => Promise<ExecResult>,
  ) {
    const version = this.versionOf(namespace, pod);
    if (!version) return run(); // not in the snapshot: nothing says it is unchanged
    const key = JSON.stringify([namespace, pod, container ?? '', argv]);
    const kept = this.kept.get(key);
    if (kept?.version === version) return kept.result;
    const result = run();
    this.kept.set(key, { version, result });
    result.catch(() => {
      if (this.kept.get(key)?.result === result) this.kept.delete(key);
    });
    return result;
  }

  private versionOf(namespace: string, pod: string): string | undefined {
    const found = this.snapshot
      .items('pods')
      ?.find((o) => o.metadata?.name === pod && o.metadata?.namespace === namespace)?.metadata;
    return found?.uid && found.resourceVersion ? `${found.uid}/${found.resourceVersion}` : undefined;
  }
}
