// Which platform's blocks a run types: AKS, podlab's embedded cluster ("local"), or another cluster.
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.js';
import { EMBEDDED_KUBECONFIG } from '../k8s/kubeconfig.js';
import type { SandboxRuntime } from '../scenario/types.js';
import type { Platform } from '../plan/blocks.js';

/** AKS labels its nodes `kubernetes.azure.com/...` and names its Kata RuntimeClass kata-vm-isolation. */
export async function detectPlatform(cluster: Cluster, sandbox: SandboxRuntime | undefined): Promise<Platform> {
  if (sandbox?.profile.startsWith('aks')) return 'aks';
  const nodes = (await cluster.core.listNode()).items;
  if (nodes.some((n) => Object.keys(n.metadata?.labels ?? {}).some((k) => k.startsWith('kubernetes.azure.com/')))) return 'aks';
  return isEmbedded(cluster.kubeconfig) ? 'local' : 'other';
}

/** The kubeconfig talks to the API server of podlab's embedded cluster. */
function isEmbedded(kc: KubeConfig): boolean {
  if (!existsSync(EMBEDDED_KUBECONFIG)) return false;
  try {
    const embedded = new KubeConfig();
    embedded.loadFromFile(EMBEDDED_KUBECONFIG);
    return Boolean(embedded.getCurrentCluster()?.server) && embedded.getCurrentCluster()?.server === kc.getCurrentCluster()?.server;
  } catch {
    return false;
  }
}
