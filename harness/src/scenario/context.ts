// Builds the StepContext a scenario's run/check/cleanup receive.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Cluster } from '../k8s/cluster.js';
import { denyWrites, wrapApi } from '../k8s/wrap-api.js';
import type { SandboxRuntime, StepContext } from './types.js';
import { StepProcesses } from '../proc/processes.js';
import { labImage } from './image.js';
import { ReadOnlyViolation } from '../errors.js';

export interface ContextOptions {
  cluster: Cluster;
  root: string;
  namespace: string;
  runId: string;
  labId: string;
  labels: Record<string, string>;
  sandbox?: SandboxRuntime;
  readOnly: boolean;
  signal: AbortSignal;
  kubeconfigPath?: string;
  evidence: Record<string, unknown>;
  /** the step's child processes; by default a new set stopped when `signal` aborts */
  processes?: StepProcesses;
}

// zx is loaded on first use of ctx.$ (its start-up is ~80 ms of CPU, and most labs never start a command).
// Required at run time, so that the CLI bundle leaves it out.
const requireAtRunTime = createRequire(import.meta.url);
const zx = () => requireAtRunTime('zx/core') as typeof import('zx/core');

export function makeContext(o: ContextOptions): StepContext {
  const { cluster } = o;
  const processes = o.processes ?? new StepProcesses(o.signal);
  let shell: StepContext['$'] | undefined;
  return {
    namespace: o.namespace,
    runId: o.runId,
    labId: o.labId,
    labels: o.labels,
    sandbox: o.sandbox,
    kubeconfig: cluster.kubeconfig,
    core: o.readOnly ? readOnly(cluster.core, 'core') : cluster.core,
    networking: o.readOnly ? readOnly(cluster.networking, 'networking') : cluster.networking,
    readOnly: o.readOnly,
    signal: o.signal,
    // Made on first use: most checks never start a command, and grading a room makes thousands of contexts.
    // No zx `signal`: `processes` stops the step's commands (SIGTERM, then SIGKILL), process group and all.
    get $() {
      shell ??= zx().$({
        env: { ...process.env, ...(o.kubeconfigPath ? { KUBECONFIG: o.kubeconfigPath } : {}), NS: o.namespace },
        quiet: true,
        spawn: processes.spawn,
      } as never) as unknown as StepContext['$'];
      return shell;
    },
    exec: (pod, argv, opts) => cluster.exec(o.namespace, pod, argv, { ...opts, signal: o.signal }),
    apply: async (manifestPath, vars = {}) => {
      if (o.readOnly) throw new Error(`read-only mode: refusing to apply ${manifestPath}`);
      await cluster.apply(resolve(o.root, manifestPath), {
        namespace: o.namespace,
        labels: o.labels,
        vars: { NAMESPACE: o.namespace, RUNTIME_CLASS: o.sandbox?.name ?? '', LAB_IMAGE: labImage(), ...vars },
      });
    },
    waitForPod: (name, predicate, timeoutMs) => cluster.waitForPod(o.namespace, name, predicate, timeoutMs, o.signal),
    evidence: (key, value) => {
      o.evidence[key] = value;
    },
  };
}

/** The client a check gets in `podlab check` and `grade`: reads go through, a write throws before it is sent. */
export const readOnly = <T extends object>(api: T, name: string): T =>
  wrapApi(api, [
    denyWrites(
      (method) =>
        new ReadOnlyViolation(
          `read-only check: ctx.${name}.${method}() would change the cluster, and checks only read (podlab check and grade)`,
        ),
    ),
  ]);
