// A room without a cluster: a Cluster whose lists answer from arrays the test changes, whose execs are counted
// and answered at once, and a Source over it. Grading reads the room through a Snapshot, so what the lists
// answer is the whole room as the grader sees it; a test changes an object by giving it a new resourceVersion.
import { KubeConfig, type KubernetesObject, type V1Namespace, type V1Pod } from '@kubernetes/client-node';
import type { Cluster } from '../../harness/src/k8s/cluster.js';
import { newStats } from '../../harness/src/k8s/counted.js';
import type { ExecResult } from '../../harness/src/k8s/types.js';
import type { Source } from '../../harness/src/grade/sources.js';

let version = 1;
const nextVersion = () => String(version++);

export function namespace(name: string, labels: Record<string, string> = {}): V1Namespace {
  return {
    metadata: { name, uid: `uid-${name}`, resourceVersion: nextVersion(), labels },
    status: { phase: 'Active' },
  };
}

/** A running pod of the lab, as `podlab solve` leaves it. */
export function runningPod(ns: string, name: string, runtimeClassName?: string): V1Pod {
  return {
    metadata: {
      name,
      namespace: ns,
      uid: `uid-${ns}-${name}`,
      resourceVersion: nextVersion(),
      labels: { 'app.kubernetes.io/part-of': 'pod-sandboxing' },
    },
    spec: {
      runtimeClassName,
      nodeName: 'node-1',
      containers: [{ name: 'main', image: 'localhost/podlab-lab:latest' }],
    },
    status: {
      phase: 'Running',
      podIP: '10.0.0.1',
      containerStatuses: [
        { name: 'main', ready: true, restartCount: 0, image: 'x', imageID: 'x', state: { running: {} } },
      ],
    },
  };
}

/** What the attendee did to an object: the API server gives it a new resourceVersion. */
export function touch(o: KubernetesObject): void {
  o.metadata!.resourceVersion = nextVersion();
}

export class FakeRoom {
  namespaces: V1Namespace[] = [];
  pods: V1Pod[] = [];
  networkPolicies: KubernetesObject[] = [];
  readonly nodes: KubernetesObject[] = [
    { metadata: { name: 'node-1', uid: 'uid-node-1', resourceVersion: nextVersion(), labels: {} } },
  ];
  readonly runtimeClasses: KubernetesObject[] = [
    { metadata: { name: 'gvisor', uid: 'uid-gvisor', resourceVersion: nextVersion() }, handler: 'runsc' } as never,
  ];
  /** every exec asked, `namespace/pod argv` */
  readonly execs: string[] = [];
  /** lists asked of the API server, by kind */
  readonly lists: string[] = [];
  /** calls the fake API server does not answer (it throws): what the snapshot did not answer from memory */
  readonly direct: string[] = [];
  /** a list of this kind waits for this before it answers (a slow API server) */
  delay: Partial<Record<string, Promise<void>>> = {};
  execAnswer: (ns: string, pod: string, argv: string[]) => ExecResult = () => ({ code: 0, stdout: '', stderr: '' });

  private list(kind: string, items: () => KubernetesObject[]) {
    return async () => {
      this.lists.push(kind);
      const answer = { metadata: { resourceVersion: nextVersion() }, items: [...items()] };
      await this.delay[kind];
      return answer;
    };
  }

  /** An API client answering these methods; any other call is counted in `direct` and fails. */
  private api(methods: Record<string, () => Promise<unknown>>): object {
    return new Proxy(methods, {
      get: (target, prop) =>
        typeof prop !== 'string'
          ? undefined
          : (target[prop] ??
            (async () => {
              this.direct.push(prop);
              throw Object.assign(new Error(`fake API server: ${prop} is not served`), { code: 500 });
            })),
    });
  }

  readonly cluster = (() => {
    const kubeconfig = new KubeConfig();
    kubeconfig.loadFromOptions({
      clusters: [{ name: 'fake', server: 'https://fake-room.invalid' }],
      users: [{ name: 'grader' }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'grader' }],
      currentContext: 'fake',
    });
    const fake = {
      kubeconfig,
      stats: newStats(),
      core: this.api({
        listNamespace: this.list('namespaces', () => this.namespaces),
        listNode: this.list('nodes', () => this.nodes),
        listPodForAllNamespaces: this.list('pods', () => this.pods),
      }),
      node: this.api({ listRuntimeClass: this.list('runtimeclasses', () => this.runtimeClasses) }),
      networking: this.api({
        listNetworkPolicyForAllNamespaces: this.list('networkpolicies', () => this.networkPolicies),
      }),
      exec: async (ns: string, pod: string, argv: string[]) => {
        fake.stats.execs++;
        this.execs.push(`${ns}/${pod} ${argv.join(' ')}`);
        return this.execAnswer(ns, pod, argv);
      },
    };
    return fake as unknown as Cluster;
  })();

  readonly source: Source = { connect: () => ({ cluster: this.cluster, namespace: undefined }) };
}
