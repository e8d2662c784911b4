// Running a lab's text on the embedded cluster from a test: podlab as a child process with the admin's
// kubeconfig, its JSON result and steps, and whether a namespace the run or its text made is gone.
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';
import type { RunResult } from '../../harness/src/report/model.js';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
export const env = { KUBECONFIG: EMBEDDED_KUBECONFIG };

/** `podlab <args>`, never rejecting; `extra` adds to the environment. */
export const podlab = (args: string[], extra: Record<string, string> = {}) =>
  execa('node', [`${repo}bin/podlab.js`, ...args], { reject: false, env: { ...env, ...extra } });

const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);

export const json = (stdout: string) => JSON.parse(stdout) as RunResult;
export const step = (r: RunResult, id: string) => r.steps.find((s) => s.id === id)!;
export const namespaceGone = async (name: string) =>
  !(await cluster.core.readNamespace({ name }).catch(() => undefined));
