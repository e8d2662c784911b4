// Waiting on a podlab run from a test: until its progress lines reach a point, and for the node afterwards.
import type { ChildProcess } from 'node:child_process';
import type { V1Node } from '@kubernetes/client-node';
import type { Cluster } from '../../harness/src/k8s/cluster.js';

/** Resolves once the run's stderr (its progress lines) matches; rejects if it ends first. */
export function untilStderr(child: ChildProcess, re: RegExp, before: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stderr?.on('data', (d: Buffer) => {
      seen += d.toString();
      if (re.test(seen)) resolve();
    });
    child.once('exit', () => reject(new Error(`podlab ended before ${before}: ${seen}`)));
  });
}

/** The node Ready again, without the taints a NotReady spell leaves: what later tests need after a fault. */
export function nodeBack(cluster: Cluster): Promise<V1Node> {
  return cluster.waitFor<V1Node>({
    path: '/api/v1/nodes',
    name: 'podlab',
    timeoutMs: 180_000,
    what: 'node podlab Ready and untainted',
    list: () => cluster.core.listNode(),
    predicate: (n) =>
      n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true &&
      !(n.spec?.taints ?? []).some((x) => x.key.startsWith('node.kubernetes.io/')),
  });
}
