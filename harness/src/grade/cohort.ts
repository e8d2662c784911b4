// podlab grade: every attendee's namespace checked read-only, in parallel, into one matrix.
import type { Lab } from '../model/types.js';
import type { Cluster } from '../k8s/cluster.js';
import { describeError } from '../k8s/retry.js';
import { runLab } from '../runner/run.js';
import { gradeOf, labSteps, unreachable, type GradeMatrix } from './matrix.js';

/**
 * `attendee-*` is a glob over namespace names; `team=blue` (anything with = or !) is a label selector;
 * `ana,bo` names the namespaces exactly, so one that does not exist shows up in the matrix as such.
 */
export async function resolveNamespaces(cluster: Cluster, pattern: string): Promise<string[]> {
  if (!/[*?=!]/.test(pattern)) return pattern.split(',').map((n) => n.trim()).filter(Boolean);
  const isSelector = /[=!]/.test(pattern);
  const list = await cluster.call('list namespaces', () => cluster.core.listNamespace(isSelector ? { labelSelector: pattern } : {}));
  const names = list.items.map((n) => n.metadata?.name ?? '');
  if (isSelector) return names.sort();
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return names.filter((n) => re.test(n)).sort();
}

export async function gradeNamespaces(lab: Lab, o: { root: string; cluster: Cluster; namespaces: string[]; concurrency: number; signal: AbortSignal }): Promise<GradeMatrix> {
  const steps = labSteps(lab);
  const grades = new Array<GradeMatrix['attendees'][number]>(o.namespaces.length);
  let next = 0;
  const worker = async () => {
    while (next < o.namespaces.length) {
      const i = next++;
      const ns = o.namespaces[i]!;
      try {
        const r = await runLab(lab, { root: o.root, cluster: o.cluster, mode: 'check', namespace: ns, signal: o.signal });
        grades[i] = gradeOf(steps, ns, ns, r);
      } catch (err) {
        grades[i] = unreachable(ns, ns, describeError(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, o.namespaces.length)) }, worker));
  return { lab: lab.id, steps, attendees: grades, generatedAt: new Date().toISOString() };
}
