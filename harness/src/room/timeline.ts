// The pods a lab's text keeps alive at the same time: its blocks read in order, as a run types them, with
// `kubectl apply` of a manifest adding its pods (after any `sed '/re/d'` the line pipes it through), `kubectl
// delete` removing them, and `kubectl exec ... -- stress-ng` (directly or through a shell function of the text)
// marking a pod busy while its step runs. Only what the text itself shows is counted; nothing is run.
import { parseAllDocuments } from 'yaml';
import { readRegularFile, insideRoot } from '../files.js';
import { MAX_MANIFEST_BYTES } from '../plan/manifests.js';
import type { Plan } from '../plan/plan.js';
import { blocksFor } from '../plan/plan.js';
import type { Platform } from '../plan/blocks.js';
import { bytes, milliCpu } from './quantity.js';

/** A pod as a manifest of the lab writes it. */
export interface LabPod {
  name: string;
  /** summed over its containers; a resource a container does not set is left out */
  requests: { cpu?: number; memory?: number };
  limits: { cpu?: number; memory?: number };
  /** every container sets a CPU / memory limit (else the namespace's LimitRange default applies) */
  limited: { cpu: boolean; memory: boolean };
  containers: number;
  sandboxed: boolean;
  /** its own command burns CPU (stress-ng): it may use its whole CPU limit */
  burns: boolean;
  manifest: string;
}

/** After one step of the text: the pods alive, and those the step's commands make busy. */
interface Moment {
  step: string;
  alive: LabPod[];
  busy: Set<string>;
}

export interface Timeline {
  moments: Moment[];
  /** every kind the text applies from a manifest, e.g. `v1/Pod`, `networking.k8s.io/v1/NetworkPolicy` */
  kinds: Set<string>;
}

const BURNER = /\bstress(-ng)?\b/;

/** The text's pods step by step, for the blocks a run on this platform types. */
export function timeline(plan: Plan, platform: Platform): Timeline {
  const alive = new Map<string, LabPod>();
  const functions = new Map<string, string>();
  const kinds = new Set<string>();
  const moments: Moment[] = [];
  for (const p of plan.steps) {
    const busy = new Set<string>();
    for (const b of blocksFor(p, platform)) {
      for (const line of b.content.replace(/\\\n/g, ' ').split('\n')) {
        const fn = /^\s*([A-Za-z_][\w-]*)\s*\(\)\s*\{(.*)\}\s*;?\s*$/.exec(line);
        if (fn) {
          functions.set(fn[1]!, fn[2]!);
          continue;
        }
        const expanded = [
          line,
          ...[...functions].filter(([n]) => new RegExp(`\\b${n}\\b`).test(line)).map(([, v]) => v),
        ];
        for (const l of expanded) readLine(l, plan.lab.root, { alive, busy, kinds });
      }
    }
    moments.push({ step: p.step.id, alive: [...alive.values()], busy });
  }
  return { moments, kinds };
}

interface State {
  alive: Map<string, LabPod>;
  busy: Set<string>;
  kinds: Set<string>;
}

function readLine(line: string, root: string, s: State): void {
  const manifest = /manifests\/[\w./-]+\.ya?ml/.exec(line)?.[0];
  if (manifest && /kubectl\s+(apply|create)\b/.test(line)) {
    const deletes = [...line.matchAll(/sed\s+(?:-e\s+)?'\/([^/']+)\/d'/g)].map((m) => new RegExp(m[1]!));
    for (const obj of manifestObjects(root, manifest, deletes)) {
      s.kinds.add(`${obj.apiVersion}/${obj.kind}`);
      if (obj.kind === 'Pod') {
        const pod = labPod(obj, manifest);
        s.alive.set(pod.name, pod);
      }
    }
    return;
  }
  const del = /kubectl\s+delete\s+(pods?|po|namespace|ns)\b(.*)/.exec(line);
  if (del) {
    const args = words(del[2]!);
    if (/^n/.test(del[1]!) || args.all) s.alive.clear();
    else for (const n of args.names) s.alive.delete(n.replace(/^pods?\//, ''));
    return;
  }
  const exec = /kubectl\s+exec\b(.*?)\s--\s(.*)$/.exec(line);
  if (exec && BURNER.test(exec[2]!)) for (const n of words(exec[1]!).names) s.busy.add(n.replace(/^pods?\//, ''));
}

/** A kubectl command's non-flag words (names), and whether it selects by label or `--all`. */
function words(rest: string): { names: string[]; all: boolean } {
  const names: string[] = [];
  let all = false;
  const toks = rest.split(/[\s;|&]+/).filter(Boolean);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (/^(-l|--selector|--all)$/.test(t) || /^(-l|--selector=)/.test(t)) all = true;
    if (/^(-n|--namespace|-c|--container|-l|--selector|-o|--output|--timeout|--for)$/.test(t)) i++;
    else if (!t.startsWith('-') && !t.startsWith('$') && !t.startsWith('"')) names.push(t);
  }
  return { names, all };
}

type Obj = { apiVersion?: string; kind?: string; metadata?: { name?: string }; spec?: Record<string, unknown> };

function manifestObjects(root: string, rel: string, deletes: RegExp[]): Obj[] {
  const inside = insideRoot(root, rel);
  if (inside.path === undefined) return [];
  const read = readRegularFile(inside.path, MAX_MANIFEST_BYTES);
  if (read.problem !== undefined) return [];
  const text = read.bytes
    .toString('utf8')
    .split('\n')
    .filter((l) => !deletes.some((re) => re.test(l)))
    .join('\n');
  return parseAllDocuments(text).flatMap((d) => {
    const v = ('errors' in d && !d.errors.length ? d.toJS() : null) as Obj | null;
    return v && typeof v === 'object' ? [v] : [];
  });
}

type Container = {
  command?: unknown[];
  args?: unknown[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
};

/** A pod's sums over its containers (init containers run before, so they do not add to the peak). */
function labPod(obj: Obj, manifest: string): LabPod {
  const spec = obj.spec ?? {};
  const containers = (Array.isArray(spec.containers) ? spec.containers : []) as Container[];
  const sum = (pick: (c: Container) => number | undefined) => {
    const vals = containers.map(pick);
    return vals.some((v) => v !== undefined) ? vals.reduce<number>((a, v) => a + (v ?? 0), 0) : undefined;
  };
  const res = (kind: 'requests' | 'limits', r: 'cpu' | 'memory') =>
    sum((c) => (r === 'cpu' ? milliCpu : bytes)(c.resources?.[kind]?.[r]));
  const drop = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  return {
    name: obj.metadata?.name ?? '',
    requests: drop({ cpu: res('requests', 'cpu'), memory: res('requests', 'memory') }),
    limits: drop({ cpu: res('limits', 'cpu'), memory: res('limits', 'memory') }),
    limited: {
      cpu: containers.every((c) => c.resources?.limits?.cpu !== undefined),
      memory: containers.every((c) => c.resources?.limits?.memory !== undefined),
    },
    containers: containers.length,
    sandboxed: typeof spec.runtimeClassName === 'string' && spec.runtimeClassName !== '',
    burns: containers.some((c) => BURNER.test([...(c.command ?? []), ...(c.args ?? [])].join(' '))),
    manifest,
  };
}
