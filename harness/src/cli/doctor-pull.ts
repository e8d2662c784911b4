// podlab doctor's pull test: can a node start the lab image (under the sandbox RuntimeClass)? A throwaway pod
// in a throwaway namespace, watched until the image is there or the kubelet says why not; the namespace always goes.
import { randomBytes } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.js';
import { MANAGED_BY, RUN_LABEL } from '../k8s/cluster.js';
import { reviewAccess, type Permission } from '../k8s/access.js';
import { describeError } from '../k8s/retry.js';
import { WaitTimeout } from '../errors.js';
import { createNamespace } from '../runner/namespace.js';
import { RunLease } from '../runner/lease.js';

export interface PullPoint {
  ok: boolean;
  name: string;
  skip?: string;
  diag?: Record<string, unknown>;
}

export interface PullOptions {
  image: string;
  /** the sandbox RuntimeClass, when the cluster has one */
  runtimeClass?: string;
  platform: string;
  timeoutMs: number;
  signal: AbortSignal;
}

/** What the kubelet says when it cannot get an image (container waiting reasons). */
const PULL_ERRORS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'RegistryUnavailable',
]);

const why = 'the pull test makes a throwaway namespace and pod';
const PULL_PERMISSIONS: Permission[] = [
  ...['create', 'delete'].map((verb) => ({ verb, resource: 'namespaces', group: '', scope: 'cluster' as const, why })),
  ...['list', 'watch'].map((verb) => ({
    verb,
    resource: 'serviceaccounts',
    group: '',
    scope: 'namespace' as const,
    why,
  })),
  ...['create', 'list', 'watch'].map((verb) => ({
    verb,
    resource: 'pods',
    group: '',
    scope: 'namespace' as const,
    why,
  })),
];

/** A short lease: a doctor killed mid-test leaves a namespace the next `podlab run` reaps within a minute or two. */
const LEASE_SECONDS = 30;

/** The image is on the node (the container started, ran or failed to run), the kubelet cannot get it, or not yet known. */
export function pullVerdict(
  pod: V1Pod,
): { pulled: true } | { pulled: false; reason: string; message: string } | undefined {
  const cs = pod.status?.containerStatuses?.[0];
  if (cs?.imageID || cs?.state?.running || cs?.state?.terminated || pod.status?.phase === 'Succeeded')
    return { pulled: true };
  const waiting = cs?.state?.waiting;
  if (waiting?.reason && PULL_ERRORS.has(waiting.reason))
    return { pulled: false, reason: waiting.reason, message: waiting.message ?? '' };
  return undefined;
}

/** Where a pod that neither pulled nor failed to pull got to: unscheduled (and why), or the container's waiting reason. */
export function stuckAt(pod: V1Pod | undefined): string {
  if (!pod) return 'the pod was never seen';
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status !== 'True') return `not scheduled${scheduled?.message ? `: ${scheduled.message}` : ''}`;
  const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
  const where = `on node ${pod.spec?.nodeName ?? '?'}`;
  return waiting?.reason
    ? `${where}, container waiting: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}`
    : `${where}, phase ${pod.status?.phase}`;
}

/** What to do about an image the nodes cannot get, per platform. */
export function pullHint(image: string, platform: string): string {
  const acr = /^([a-z0-9]+)\.azurecr\.io\//i.exec(image)?.[1];
  if (platform === 'aks' && acr) {
    return `let the cluster's kubelet pull from ACR: az aks update --resource-group $RG --name $CLUSTER --attach-acr ${acr}; and check the image is there: az acr repository show-tags --name ${acr} --repository ${image.split('/').slice(1).join('/').split(/[:@]/)[0]}`;
  }
  if (platform === 'aks') {
    return 'build the lab image in ACR (az acr build --registry $ACR_NAME --image podlab-lab:1.0 images/lab), attach it (az aks update --resource-group $RG --name $CLUSTER --attach-acr $ACR_NAME), then set LAB_IMAGE=$ACR_NAME.azurecr.io/podlab-lab:1.0 or pass --image';
  }
  if (platform === 'local')
    return '`podlab cluster up` serves the lab image as 127.0.0.1:5000/podlab-lab:1.0 from its loopback registry; any other image must come from a registry the node can reach';
  return "check the image's name, and that the nodes can reach its registry with their own credentials (the test pod has no imagePullSecrets); set LAB_IMAGE or pass --image";
}

function podSpec(o: PullOptions): V1Pod {
  return {
    metadata: { name: 'pull-test' },
    spec: {
      ...(o.runtimeClass ? { runtimeClassName: o.runtimeClass } : {}),
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 0,
      // Within the "restricted" Pod Security Standard, so that a namespace default of restricted admits it.
      securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'pull',
          image: o.image,
          // As the lab's manifests do: a node that has the image uses it, one that has not pulls it.
          imagePullPolicy: 'IfNotPresent',
          command: ['true'],
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
}

/** The pull test's point, and (when it made one) the point for removing its namespace. */
export async function pullTest(cluster: Cluster, o: PullOptions): Promise<PullPoint[]> {
  const where = o.runtimeClass
    ? `with RuntimeClass ${o.runtimeClass}`
    : 'with the default runtime (no sandbox RuntimeClass)';
  const name = `the lab image ${o.image} can be pulled ${where}`;
  const denied = (await reviewAccess(cluster, '', PULL_PERMISSIONS))
    .filter(([, allowed]) => allowed !== true)
    .map(([p]) => `${p.verb} ${p.resource}`);
  if (denied.length) return [{ ok: true, name, skip: `this identity may not ${denied.join(', ')} (${why})` }];
  const id = randomBytes(3).toString('hex');
  const namespace = `podlab-doctor-${id}`;
  const lease = new RunLease(cluster, LEASE_SECONDS);
  const started = Date.now();
  let point: PullPoint;
  try {
    await createNamespace(
      cluster,
      namespace,
      { [MANAGED_BY]: 'podlab', [RUN_LABEL]: `doctor-${id}` },
      o.signal,
      lease.annotations(),
    );
    lease.hold(namespace);
    point = await watchPull(cluster, namespace, name, o);
  } catch (err) {
    point = {
      ok: false,
      name,
      diag: { image: o.image, detail: o.signal.aborted ? 'interrupted' : describeError(err) },
    };
  } finally {
    lease.stop();
  }
  if (point.ok) point.diag = { ...point.diag, seconds: Math.round((Date.now() - started) / 100) / 10 };
  return [point, await removal(cluster, namespace)];
}

async function watchPull(cluster: Cluster, namespace: string, name: string, o: PullOptions): Promise<PullPoint> {
  await cluster.core.createNamespacedPod({ namespace, body: podSpec(o) });
  let pod: V1Pod | undefined;
  try {
    pod = await cluster.waitForPod(namespace, 'pull-test', (p) => pullVerdict(p) !== undefined, o.timeoutMs, o.signal);
  } catch (err) {
    if (!(err instanceof WaitTimeout)) throw err;
    const detail = `neither pulled nor refused within ${Math.round(o.timeoutMs / 1000)}s: ${stuckAt(err.last as V1Pod | undefined)}`;
    return { ok: false, name, diag: { image: o.image, detail, hint: pullHint(o.image, o.platform) } };
  }
  const verdict = pullVerdict(pod)!;
  if (verdict.pulled) return { ok: true, name, diag: { node: pod.spec?.nodeName } };
  return {
    ok: false,
    name,
    diag: { image: o.image, reason: verdict.reason, message: verdict.message, hint: pullHint(o.image, o.platform) },
  };
}

/** Deletes the throwaway namespace (and its pod) and waits until it is gone; ignores the interrupt, as a run's teardown does. */
async function removal(cluster: Cluster, namespace: string): Promise<PullPoint> {
  const name = `the pull test's namespace ${namespace} is removed`;
  try {
    await cluster.deleteNamespace(namespace, 60_000);
    return { ok: true, name };
  } catch (err) {
    return {
      ok: false,
      name,
      diag: { detail: `${describeError(err)}; its lease lapses within a minute, and the next podlab run reaps it` },
    };
  }
}
