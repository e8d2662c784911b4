// Sandbox RuntimeClass detection: a pure function over the cluster's RuntimeClasses, by the rules of the profile
// tables (profiles/tables.ts: each table's `detect`), the same tables the checks' expectations come from.
import type { V1RuntimeClass } from '@kubernetes/client-node';
import type { SandboxRuntime } from './types.js';
import { PROFILE_TABLES } from '../profiles/tables.js';

export function detectSandbox(classes: V1RuntimeClass[]): SandboxRuntime | undefined {
  const found = classes.flatMap((rc) => {
    const name = rc.metadata?.name ?? '';
    const handler = rc.handler ?? '';
    const p = Object.values(PROFILE_TABLES)
      .filter((x) => x.detect.match(name, handler, rc.metadata?.labels ?? {}))
      .sort((a, b) => a.detect.rank - b.detect.rank)[0];
    return p ? [{ rank: p.detect.rank, runtime: toRuntime(rc, p.id) }] : [];
  });
  found.sort((a, b) => a.rank - b.rank || a.runtime.name.localeCompare(b.runtime.name));
  return found[0]?.runtime;
}

function toRuntime(rc: V1RuntimeClass, profile: string): SandboxRuntime {
  const overhead = rc.overhead?.podFixed;
  return {
    name: rc.metadata?.name ?? '',
    handler: rc.handler,
    profile,
    ...(rc.scheduling?.nodeSelector ? { nodeSelector: rc.scheduling.nodeSelector } : {}),
    ...(overhead ? { overhead: Object.fromEntries(Object.entries(overhead).map(([k, v]) => [k, String(v)])) } : {}),
  };
}
