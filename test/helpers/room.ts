// What the room's cluster tests share: podlab as a child process on the embedded cluster (its admin unless `env`
// says another KUBECONFIG), the admin's API client, and the room's objects listed by its label.
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';

export const repo = fileURLToPath(new URL('../..', import.meta.url));

/** `podlab <args>`, never rejecting: the test reads its exit code, stdout and stderr. */
export const podlab = (args: string[], env: Record<string, string> = {}) =>
  execa(process.execPath, [`${repo}bin/podlab.js`, ...args], {
    reject: false,
    env: { KUBECONFIG: EMBEDDED_KUBECONFIG, ...env },
    timeout: 300_000,
  });

export const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
export const cluster = new Cluster(kc);

/** A room's cluster-scoped objects of one kind, by its label. */
export const roomObjects = async (apiVersion: string, kind: string, room: string) =>
  (
    await cluster.objects.list(
      apiVersion,
      kind,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      `podlab.dev/room=${room}`,
    )
  ).items;
