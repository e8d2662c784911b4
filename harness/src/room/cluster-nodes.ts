// The nodes of a cluster a room can use, read from the API: Ready, schedulable, untainted, and matching the sandbox
// RuntimeClass's nodeSelector; each with its allocatable CPU, memory and pods, less what the cluster's own pods on
// it request (DaemonSet pods and kube-system's, which stay whatever the room does). Other workloads' pods come and
// go: they are summed apart, for the plan to mention, not subtracted.
import type { V1Container, V1Node, V1Pod } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.js';
import type { SandboxRuntime } from '../k8s/types.js';
import type { NodeShape } from './capacity.js';
import { bytes, milliCpu } from './quantity.js';

export interface ClusterNodes {
  nodes: NodeShape[];
  /** nodes left out, and why */
  skipped: Array<{ name: string; why: string }>;
  /** what other pods on the usable nodes request now (not counted against the room) */
  others: { pods: number; cpu: number; memory: number };
}

function whyNot(n: V1Node, selector: Record<string, string>): string | undefined {
  if (n.spec?.unschedulable) return 'cordoned';
  if (!n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return 'not Ready';
  const taint = n.spec?.taints?.find((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  if (taint) return `tainted ${taint.key}:${taint.effect}`;
  const miss = Object.entries(selector).find(([k, v]) => n.metadata?.labels?.[k] !== v);
  if (miss) return `not ${miss[0]}=${miss[1]} (the sandbox RuntimeClass's nodeSelector)`;
  return undefined;
}

/** A pod's requests as the scheduler counts them: its containers' (or its largest init container's) plus overhead. */
function podRequests(p: V1Pod): { cpu: number; memory: number } {
  const sum = (cs: V1Container[]) =>
    cs.reduce(
      (a, c) => ({
        cpu: a.cpu + (milliCpu(c.resources?.requests?.cpu) ?? 0),
        memory: a.memory + (bytes(c.resources?.requests?.memory) ?? 0),
      }),
      { cpu: 0, memory: 0 },
    );
  const main = sum(p.spec?.containers ?? []);
  const init = (p.spec?.initContainers ?? []).map((c) => sum([c]));
  const o = p.spec?.overhead ?? {};
  return {
    cpu: Math.max(main.cpu, ...init.map((i) => i.cpu)) + (milliCpu(o.cpu) ?? 0),
    memory: Math.max(main.memory, ...init.map((i) => i.memory)) + (bytes(o.memory) ?? 0),
  };
}

const clusterOwn = (p: V1Pod) =>
  p.metadata?.namespace === 'kube-system' || (p.metadata?.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet');

export async function clusterNodes(cluster: Cluster, sandbox: SandboxRuntime | undefined): Promise<ClusterNodes> {
  const [nodeList, podList] = await Promise.all([
    cluster.core.listNode(),
    cluster.core.listPodForAllNamespaces({ fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' }),
  ]);
  const skipped: ClusterNodes['skipped'] = [];
  const others = { pods: 0, cpu: 0, memory: 0 };
  const nodes: NodeShape[] = [];
  for (const n of nodeList.items) {
    const name = n.metadata?.name ?? '';
    const why = whyNot(n, sandbox?.nodeSelector ?? {});
    if (why) {
      skipped.push({ name, why });
      continue;
    }
    const used = { cpu: 0, memory: 0, pods: 0 };
    for (const p of podList.items.filter((p) => p.spec?.nodeName === name)) {
      const r = podRequests(p);
      const into = clusterOwn(p) ? used : others;
      Object.assign(into, { pods: into.pods + 1, cpu: into.cpu + r.cpu, memory: into.memory + r.memory });
    }
    const a = n.status?.allocatable ?? {};
    nodes.push({
      name,
      cpu: milliCpu(a.cpu) ?? 0,
      memory: bytes(a.memory) ?? 0,
      pods: Number(a.pods ?? 0),
      used,
    });
  }
  return { nodes, skipped, others };
}
