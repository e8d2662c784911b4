// Which cluster podlab talks to: --kubeconfig/--context, then $KUBECONFIG, ~/.kube/config, the embedded cluster.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export const EMBEDDED_KUBECONFIG = join(process.env.PODLAB_STATE_DIR ?? '/var/lib/podlab/cluster', 'admin.kubeconfig');

export interface ClusterTarget {
  kubeconfig?: string;
  context?: string;
}

export function kubeconfigPath(target: ClusterTarget = {}): string | undefined {
  if (target.kubeconfig) return target.kubeconfig;
  if (process.env.KUBECONFIG) return process.env.KUBECONFIG.split(':')[0];
  const home = join(homedir(), '.kube', 'config');
  if (existsSync(home)) return home;
  return existsSync(EMBEDDED_KUBECONFIG) ? EMBEDDED_KUBECONFIG : undefined;
}

export function loadKubeConfig(target: ClusterTarget = {}): KubeConfig {
  const kc = new KubeConfig();
  const path = kubeconfigPath(target);
  if (!path) throw new EnvironmentError('no kubeconfig found: set KUBECONFIG, pass --kubeconfig, or run `podlab cluster up`');
  try {
    kc.loadFromFile(path);
  } catch (err) {
    throw new EnvironmentError(`cannot read kubeconfig ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message.split('\n')[0]}`);
  }
  if (target.context) {
    if (!kc.getContextObject(target.context)) throw new UsageError(`context "${target.context}" is not in ${path}`);
    kc.setCurrentContext(target.context);
  }
  return kc;
}

/** The cluster is missing or unusable: exit code 3. */
export class EnvironmentError extends Error {}
/** The user asked for something that cannot be: exit code 2. */
export class UsageError extends Error {}
