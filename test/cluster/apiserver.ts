// Stops the embedded cluster's kube-apiserver and starts it again with the very same command line, the way
// an outage (or an API server upgrade) looks to a client.
import { execa } from 'execa';
import { clusterEnv } from './kubectl.js';
import { stopComponent, type StoppedComponent } from './component.js';

export type StoppedApiserver = StoppedComponent;

export async function stopApiserver(): Promise<StoppedApiserver> {
  const { kubectl, kubeconfig } = await clusterEnv();
  return stopComponent(
    'kube-apiserver',
    async () =>
      (await execa(kubectl, ['--kubeconfig', kubeconfig, 'get', '--raw', '/readyz'], { reject: false })).exitCode === 0,
  );
}
