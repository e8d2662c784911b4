// AKS node sizes for planning a room before its cluster exists (`room plan --node-size`): a VM size's vCPUs and
// memory, less what AKS reserves on every node, and the pods a node may run. Only sizes that can run Pod Sandboxing
// (Generation 2, nested virtualization) are listed.
import { UsageError } from '../errors.js';
import type { NodeShape } from './capacity.js';

const GI = 2 ** 30;
const MI = 2 ** 20;

/**
 * vCPUs and GiB, from learn.microsoft.com/azure/virtual-machines/sizes/general-purpose/dsv3-series and
 * .../dsv5-series, section "Sizes in series" (checked 2026-12-05). Both series support nested virtualization.
 */
const AKS_SIZES: Record<string, { vcpus: number; memoryGiB: number }> = {
  Standard_D2s_v3: { vcpus: 2, memoryGiB: 8 },
  Standard_D4s_v3: { vcpus: 4, memoryGiB: 16 },
  Standard_D8s_v3: { vcpus: 8, memoryGiB: 32 },
  Standard_D16s_v3: { vcpus: 16, memoryGiB: 64 },
  Standard_D32s_v3: { vcpus: 32, memoryGiB: 128 },
  Standard_D2s_v5: { vcpus: 2, memoryGiB: 8 },
  Standard_D4s_v5: { vcpus: 4, memoryGiB: 16 },
  Standard_D8s_v5: { vcpus: 8, memoryGiB: 32 },
  Standard_D16s_v5: { vcpus: 16, memoryGiB: 64 },
  Standard_D32s_v5: { vcpus: 32, memoryGiB: 128 },
};

/**
 * learn.microsoft.com/azure/aks/node-resource-reservations (checked 2026-12-05), "CPU reservations": kube-reserved
 * CPU in millicores by the host's cores.
 */
const RESERVED_CPU: Record<number, number> = { 1: 60, 2: 100, 4: 140, 8: 180, 16: 260, 32: 420, 64: 740 };

/**
 * The same page, "Memory reservations", AKS 1.29 and later: kube-reserved is the smaller of 20 MB per pod the node
 * supports + 50 MB and 25% of the memory, plus the kubelet's eviction threshold of 100Mi (MB read as MiB here, which
 * reserves a little more).
 */
const reservedMemory = (memory: number, maxPods: number) =>
  Math.min(20 * MI * maxPods + 50 * MI, 0.25 * memory) + 100 * MI;

/**
 * Pods per node when `az aks create` does not say `--max-pods`: 30 with Azure CNI on the node subnet (the lab's
 * `--network-plugin azure`), per learn.microsoft.com/azure/aks/concepts-network-legacy-cni (checked 2026-12-05).
 */
const AKS_DEFAULT_MAX_PODS = 30;

export const SIZES_SOURCE =
  'VM sizes: learn.microsoft.com/azure/virtual-machines/sizes/general-purpose (Dsv3, Dsv5); reservations: learn.microsoft.com/azure/aks/node-resource-reservations (AKS 1.29+); max pods: Azure CNI default 30';

/** A node of this AKS size, as allocatable as AKS leaves it. AKS's own DaemonSet pods are not counted: see the plan's note. */
export function aksNode(size: string, maxPods = AKS_DEFAULT_MAX_PODS): NodeShape {
  const key = Object.keys(AKS_SIZES).find((k) => k.toLowerCase() === size.toLowerCase());
  if (!key)
    throw new UsageError(
      `--node-size ${size}: not in podlab's table of AKS sizes (${Object.keys(AKS_SIZES).join(', ')})`,
    );
  const { vcpus, memoryGiB } = AKS_SIZES[key]!;
  const memory = memoryGiB * GI;
  return {
    name: key,
    cpu: vcpus * 1000 - (RESERVED_CPU[vcpus] ?? 0),
    memory: Math.floor(memory - reservedMemory(memory, maxPods)),
    pods: maxPods,
    used: { cpu: 0, memory: 0, pods: 0 },
  };
}
