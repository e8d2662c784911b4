// What the doctor tests share: `podlab doctor` as a child process (its arguments, to start it by hand), the
// admin's client, the namespaces a pull test left, and doctor's TAP points with their YAML diagnostics.
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { Parser } from 'tap-parser';
import { EMBEDDED_KUBECONFIG, loadKubeConfig } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster, MANAGED_BY, RUN_LABEL } from '../../harness/src/k8s/cluster.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
export const doctorArgs = (kubeconfig: string, extra: string[] = []) => [
  `${repo}bin/podlab.js`,
  'doctor',
  '--kubeconfig',
  kubeconfig,
  ...extra,
];
export const doctor = (kubeconfig: string, extra: string[] = [], path = process.env.PATH) =>
  execa(process.execPath, doctorArgs(kubeconfig, extra), { reject: false, env: { PATH: path } });

export const cluster = new Cluster(loadKubeConfig({ kubeconfig: EMBEDDED_KUBECONFIG }));

/** Namespaces a doctor's pull test made that are still there (being deleted counts: it must be gone). */
export const doctorLeftovers = async () =>
  (await cluster.core.listNamespace({ labelSelector: `${MANAGED_BY}=podlab` })).items
    .filter((ns) => ns.metadata?.labels?.[RUN_LABEL]?.startsWith('doctor-'))
    .map((ns) => ns.metadata?.name);

interface Point {
  ok: boolean;
  name: string;
  skip: string | boolean;
  diag?: Record<string, unknown>;
}
export async function points(tap: string): Promise<Point[]> {
  const found: Point[] = [];
  const p = new Parser();
  p.on('assert', (a: Point) => found.push(a));
  const done = once(p, 'complete');
  p.end(tap);
  await done;
  return found;
}
export const pointNamed = (all: Point[], re: RegExp) => all.find((p) => re.test(p.name));
