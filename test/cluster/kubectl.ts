// Test helpers that drive the embedded cluster the way a person would: its script and kubectl.
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
export const clusterScript = `${repo}cluster/podlab-cluster.sh`;

export async function clusterEnv(): Promise<{ kubeconfig: string; kubectl: string }> {
  const { stdout } = await execa('bash', [clusterScript, 'env']);
  const kubeconfig = /KUBECONFIG=(\S+)/.exec(stdout)?.[1];
  const bin = /PATH=([^:]+):/.exec(stdout)?.[1];
  if (!kubeconfig || !bin) throw new Error(`unexpected 'cluster env' output: ${stdout}`);
  return { kubeconfig, kubectl: `${bin}/kubectl` };
}

export async function kubectl(args: string[], input?: string) {
  const { kubeconfig, kubectl: bin } = await clusterEnv();
  return execa(bin, ['--kubeconfig', kubeconfig, ...args], { input, reject: false, timeout: 300_000 });
}

export interface PodSpecOptions {
  name: string;
  runtimeClassName?: string;
  command: string[];
  limits?: { cpu: string; memory: string };
  labels?: Record<string, string>;
  restartPolicy?: 'Never' | 'Always';
  /** default: the imported localhost/podlab-lab:latest with IfNotPresent; null leaves the policy to Kubernetes' default */
  image?: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | null;
}

export function podManifest(o: PodSpecOptions): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.name, labels: o.labels ?? { app: o.name } },
    spec: {
      ...(o.runtimeClassName ? { runtimeClassName: o.runtimeClassName } : {}),
      restartPolicy: o.restartPolicy ?? 'Always',
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'main',
          image: o.image ?? 'localhost/podlab-lab:latest',
          ...(o.imagePullPolicy === null ? {} : { imagePullPolicy: o.imagePullPolicy ?? 'IfNotPresent' }),
          command: o.command,
          ...(o.limits ? { resources: { limits: o.limits, requests: o.limits } } : {}),
        },
      ],
    },
  });
}
