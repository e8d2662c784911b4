// Kubernetes label and field selectors evaluated in memory, for reads answered from a grading snapshot.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.js';

type Requirement = (labels: Record<string, string>) => boolean;

/**
 * A label selector as a predicate, or undefined when it uses syntax this parser does not know
 * (the caller then asks the API server instead of guessing).
 */
export function labelMatcher(
  selector: string | undefined,
): ((labels: Record<string, string> | undefined) => boolean) | undefined {
  if (!selector?.trim()) return () => true;
  const reqs: Requirement[] = [];
  for (const part of splitTopLevel(selector)) {
    const req = requirement(part.trim());
    if (!req) return undefined;
    reqs.push(req);
  }
  return (labels) => reqs.every((r) => r(labels ?? {}));
}

function requirement(s: string): Requirement | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(s))) {
    const [, key, op, value] = m as unknown as [string, string, string, string];
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  if ((m = /^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(s))) {
    const [, key, op, list] = m as unknown as [string, string, string, string];
    const values = new Set(list.split(',').map((v) => v.trim()));
    return op === 'in' ? (l) => key in l && values.has(l[key]!) : (l) => !(key in l) || !values.has(l[key]!);
  }
  if ((m = /^(!?)([\w./-]+)$/.exec(s))) {
    const [, not, key] = m as unknown as [string, string, string];
    return not ? (l) => !(key in l) : (l) => key in l;
  }
  return undefined;
}

/** Splits on commas that are not inside `in (a,b)`. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') depth--;
    else if (s[i] === ',' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

/** Field selectors on metadata.name / metadata.namespace only; anything else is undefined (ask the server). */
export function fieldMatcher(selector: string | undefined): ((o: KubernetesObject) => boolean) | undefined {
  if (!selector?.trim()) return () => true;
  const reqs: Array<(o: KubernetesObject) => boolean> = [];
  for (const part of selector.split(',')) {
    const m = /^\s*metadata\.(name|namespace)\s*(==|=|!=)\s*([\w.-]*)\s*$/.exec(part);
    if (!m) return undefined;
    const [, field, op, value] = m as unknown as [string, 'name' | 'namespace', string, string];
    reqs.push(op === '!=' ? (o) => o.metadata?.[field] !== value : (o) => o.metadata?.[field] === value);
  }
  return (o) => reqs.every((r) => r(o));
}

/**
 * A `--namespaces` glob (`*` any run, `?` one character) as a predicate. Matched by walking both strings with the
 * last star to fall back on, never a regular expression: `a*a*a*...b` costs at most name × pattern steps.
 */
export function globMatcher(glob: string): (name: string) => boolean {
  return (name) => {
    let p = 0;
    let n = 0;
    let star = -1;
    let resume = 0;
    while (n < name.length) {
      if (p < glob.length && (glob[p] === '?' || glob[p] === name[n])) {
        p++;
        n++;
      } else if (p < glob.length && glob[p] === '*') {
        star = p++;
        resume = n;
      } else if (star >= 0) {
        p = star + 1;
        n = ++resume;
      } else return false;
    }
    while (glob[p] === '*') p++;
    return p === glob.length;
  };
}

/**
 * `attendee-*` is a glob over namespace names; `team=blue` (anything with = or !) is a label selector;
 * `ana,bo` names the namespaces exactly, so one that does not exist shows up in the matrix as such.
 */
export async function resolveNamespaces(cluster: Cluster, pattern: string): Promise<string[]> {
  if (!/[*?=!]/.test(pattern))
    return pattern
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
  const isSelector = /[=!]/.test(pattern);
  const list = await cluster.core.listNamespace(isSelector ? { labelSelector: pattern } : {});
  const names = list.items.map((n) => n.metadata?.name ?? '');
  if (isSelector) return names.sort();
  const matches = globMatcher(pattern);
  return names.filter(matches).sort();
}
