// Which platform's blocks a run types: AKS, podlab's embedded cluster ("local"), or another cluster.
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.js';
import { EMBEDDED_KUBECONFIG } from '../k8s/kubeconfig.js';
import type { SandboxRuntime } from '../scenario/types.js';
import type { Platform } from '../plan/blocks.js';
import { detectSandbox } from '../k8s/detect.js';
import { describeError } from '../k8s/retry.js';
import { EnvironmentError, UsageError } from '../errors.js';

/** The sandbox RuntimeClass: detected, forced by name, or 'none'. The first question a run asks the cluster. */
export async function sandboxFor(cluster: Cluster, override: string | undefined): Promise<SandboxRuntime | undefined> {
  let classes;
  try {
    classes = (await cluster.node.listRuntimeClass()).items;
  } catch (err) {
    throw new EnvironmentError(
      `cannot reach the cluster: ${describeError(err)} (is it up? try \`podlab cluster status\` or \`podlab doctor\`)`,
    );
  }
  if (override === 'none') return undefined;
  if (override) {
    const rc = classes.find((c) => c.metadata?.name === override);
    if (!rc) throw new UsageError(`--sandbox-runtime ${override}: no such RuntimeClass`);
    return detectSandbox([rc]) ?? { name: override, handler: rc.handler, profile: 'custom' };
  }
  return detectSandbox(classes);
}

/** AKS labels its nodes `kubernetes.azure.com/...` and names its Kata RuntimeClass kata-vm-isolation. */
export async function detectPlatform(cluster: Cluster, sandbox: SandboxRuntime | undefined): Promise<Platform> {
  if (sandbox?.profile.startsWith('aks')) return 'aks';
  const nodes = (await cluster.core.listNode()).items;
  if (nodes.some((n) => Object.keys(n.metadata?.labels ?? {}).some((k) => k.startsWith('kubernetes.azure.com/'))))
    return 'aks';
  return isEmbedded(cluster.kubeconfig) ? 'local' : 'other';
}

/**
 * The kubeconfig is the embedded cluster's own admin: its API server and its credentials. The local blocks
 * are the attendee-on-their-own-machine path (`podlab cluster up`, then its admin kubeconfig): run with any
 * other identity (a grader's, an attendee's), they would hand the shell admin rights, so that is "other".
 */
function isEmbedded(kc: KubeConfig): boolean {
  if (!existsSync(EMBEDDED_KUBECONFIG)) return false;
  try {
    const embedded = new KubeConfig();
    embedded.loadFromFile(EMBEDDED_KUBECONFIG);
    const server = embedded.getCurrentCluster()?.server;
    const user = (c: KubeConfig) => JSON.stringify({ ...c.getCurrentUser(), name: undefined });
    return Boolean(server) && server === kc.getCurrentCluster()?.server && user(embedded) === user(kc);
  } catch {
    return false;
  }
}
