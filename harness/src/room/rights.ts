// An attendee's rights, read from the lab's text: the kubectl commands its blocks type and the kinds its manifests
// apply. Namespaced rights go into a Role in the attendee's namespace; the cluster-scoped kinds the text reads
// (RuntimeClasses, nodes) into one read-only ClusterRole for the room. Nothing the text does not do is granted:
// no Secrets, no other namespace, no creating namespaces (the text's `kubectl get namespace $NS || kubectl create
// namespace $NS` finds the namespace there).
import type { Plan } from '../plan/plan.js';
import { blocksFor } from '../plan/plan.js';
import type { Platform } from '../plan/blocks.js';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export interface Rights {
  /** in the attendee's namespace */
  namespaced: Rule[];
  /** cluster-wide reads */
  cluster: Rule[];
}

/** kubectl's names for the kinds labs use → API group, plural, and whether the kind is cluster-scoped. */
const KINDS: Record<string, { group: string; plural: string; cluster?: boolean }> = {
  pod: { group: '', plural: 'pods' },
  po: { group: '', plural: 'pods' },
  service: { group: '', plural: 'services' },
  svc: { group: '', plural: 'services' },
  configmap: { group: '', plural: 'configmaps' },
  cm: { group: '', plural: 'configmaps' },
  event: { group: '', plural: 'events' },
  ev: { group: '', plural: 'events' },
  namespace: { group: '', plural: 'namespaces' },
  ns: { group: '', plural: 'namespaces' },
  node: { group: '', plural: 'nodes', cluster: true },
  no: { group: '', plural: 'nodes', cluster: true },
  runtimeclass: { group: 'node.k8s.io', plural: 'runtimeclasses', cluster: true },
  networkpolicy: { group: 'networking.k8s.io', plural: 'networkpolicies' },
  netpol: { group: 'networking.k8s.io', plural: 'networkpolicies' },
  deployment: { group: 'apps', plural: 'deployments' },
  deploy: { group: 'apps', plural: 'deployments' },
};
function kindOf(word: string) {
  const w = word.toLowerCase().replace(/\/.*$/, '');
  return KINDS[w] ?? KINDS[w.replace(/ies$/, 'y')] ?? KINDS[w.replace(/es$/, '')] ?? KINDS[w.replace(/s$/, '')];
}

const READ = ['get', 'list', 'watch'];
/** `kubectl apply` reads, then creates or patches; `delete -f` and re-applies delete. */
const WRITE = [...READ, 'create', 'patch', 'update', 'delete'];
const VERBS: Record<string, string[]> = {
  get: READ,
  wait: READ,
  describe: READ,
  delete: ['get', 'list', 'delete'],
  annotate: ['get', 'patch'],
  label: ['get', 'patch'],
};

/** The rights a run of the text on this platform needs. */
export function rightsOf(plan: Plan, platform: Platform, appliedKinds: Set<string>): Rights {
  const grants = new Map<string, Set<string>>(); // `group|resource|cluster` → verbs
  const grant = (group: string, resource: string, verbs: string[], cluster = false) => {
    const key = `${group}|${resource}|${cluster ? 'c' : 'n'}`;
    const set = grants.get(key) ?? new Set<string>();
    verbs.forEach((v) => set.add(v));
    grants.set(key, set);
  };
  // podlab's own run of the text finds the sandbox (RuntimeClasses), the platform (nodes) and the namespace first
  grant('node.k8s.io', 'runtimeclasses', READ, true);
  grant('', 'nodes', READ, true);
  grant('', 'namespaces', ['get']);
  grant('', 'pods', READ);
  for (const k of appliedKinds) {
    const [apiVersion, kind] = [k.slice(0, k.lastIndexOf('/')), k.slice(k.lastIndexOf('/') + 1)];
    const known = kindOf(kind);
    grant(apiVersion.includes('/') ? apiVersion.split('/')[0]! : '', known?.plural ?? `${kind.toLowerCase()}s`, WRITE);
  }
  for (const line of plan.steps.flatMap((p) => blocksFor(p, platform)).flatMap((b) => b.content.split('\n'))) {
    for (const m of line.matchAll(/kubectl\s+([a-z]+)\b([^|;&)]*)/g)) {
      const [verb, rest] = [m[1]!, m[2]!];
      if (verb === 'exec') grant('', 'pods/exec', ['get', 'create']);
      else if (verb === 'logs') grant('', 'pods/log', ['get']);
      if (verb === 'describe') grant('', 'events', ['list']);
      const verbs = VERBS[verb];
      const target = rest.split(/\s+/).find((w) => w && !w.startsWith('-') && !w.startsWith('$') && kindOf(w));
      if (!verbs || !target) continue;
      const k = kindOf(target)!;
      if (k.plural === 'namespaces')
        grant('', 'namespaces', ['get']); // its own namespace only (a Role in it)
      else grant(k.group, k.plural, k.cluster ? READ : verbs, k.cluster);
    }
  }
  const rules = (cluster: boolean): Rule[] =>
    [...grants]
      .filter(([key]) => key.endsWith(cluster ? '|c' : '|n'))
      .map(([key, verbs]) => ({
        apiGroups: [key.split('|')[0]!],
        resources: [key.split('|')[1]!],
        verbs: [...verbs].sort(),
      }))
      .sort((a, b) => `${a.apiGroups[0]}/${a.resources[0]}`.localeCompare(`${b.apiGroups[0]}/${b.resources[0]}`));
  return { namespaced: rules(false), cluster: rules(true) };
}
