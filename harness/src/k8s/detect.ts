// Sandbox RuntimeClass detection: a pure function over the cluster's RuntimeClasses.
import type { V1RuntimeClass } from '@kubernetes/client-node';
import type { SandboxRuntime } from './types.js';

/** The label `podlab cluster up --profile aks` puts on its kata-vm-isolation: the runtime really behind it. */
export const BACKED_BY_LABEL = 'podlab.dev/backed-by';

type Match = (name: string, handler: string, labels: Record<string, string>) => boolean;
const PROFILES: Array<{ profile: string; rank: number; match: Match }> = [
  {
    profile: 'aks-kata-podlab',
    rank: 0,
    match: (n, _h, l) => n === 'kata-vm-isolation' && l[BACKED_BY_LABEL] === 'gvisor',
  },
  { profile: 'aks-kata', rank: 0, match: (n) => n === 'kata-vm-isolation' },
  { profile: 'aks-kata-preview', rank: 1, match: (n) => n === 'kata-mshv-vm-isolation' },
  { profile: 'kata', rank: 2, match: (n, h) => n.startsWith('kata-') || (h.startsWith('kata') && n !== 'kata') },
  { profile: 'openshift-kata', rank: 3, match: (n) => n === 'kata' },
  { profile: 'gvisor', rank: 4, match: (n, h) => n === 'gvisor' || h === 'runsc' || h === 'gvisor' },
];

export function detectSandbox(classes: V1RuntimeClass[]): SandboxRuntime | undefined {
  const found = classes.flatMap((rc) => {
    const name = rc.metadata?.name ?? '';
    const handler = rc.handler ?? '';
    const p = PROFILES.find((x) => x.match(name, handler, rc.metadata?.labels ?? {}));
    return p ? [{ rank: p.rank, runtime: toRuntime(rc, p.profile) }] : [];
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
