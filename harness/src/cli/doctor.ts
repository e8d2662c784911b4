// podlab doctor: what this cluster offers the labs, as TAP; a missing capability is a SKIP with its reason.
// It ends with a pull test of the lab image (cli/doctor-pull.ts), unless --no-pull.
import { execa } from 'execa';
import type { V1RuntimeClass } from '@kubernetes/client-node';
import { Cluster } from '../k8s/cluster.js';
import { detectSandbox } from '../k8s/detect.js';
import { describeError } from '../k8s/retry.js';
import { reviewAccess } from '../k8s/access.js';
import { credentialsOf, loadKubeConfig, type ClusterTarget } from '../k8s/kubeconfig.js';
import type { Redactor } from '../report/redact.js';
import { tapPoint } from '../report/tap.js';
import { abandonedRuns } from '../runner/reaper.js';
import { detectPlatform } from '../runner/platform.js';
import { platformLabImage } from '../scenario/image.js';
import type { SandboxRuntime } from '../k8s/types.js';
import { Interrupted } from '../errors.js';
import { pullTest } from './doctor-pull.js';

type Point = (pass: boolean, name: string, detail?: string | Record<string, unknown>, skip?: string) => void;

/** One point per permission a run needs (k8s/access.ts), asked with SelfSubjectAccessReview in every namespace. */
async function rbacPoints(cluster: Cluster, point: Point): Promise<void> {
  for (const [p, allowed] of await reviewAccess(cluster, '')) {
    const detail =
      allowed === undefined
        ? 'the access review failed'
        : `ask your cluster admin for it (${p.why}; see manifests/nightly/rbac.yaml)`;
    point(
      allowed === true,
      `RBAC allows ${p.verb} ${p.resource}${p.scope === 'cluster' ? ' cluster-wide' : ''}`,
      allowed ? undefined : detail,
    );
  }
}

/** Runs killed before their teardown: listed, not failed (the next `podlab run` reaps them). */
async function abandonedPoint(cluster: Cluster, point: Point): Promise<void> {
  const runs = await abandonedRuns(cluster).catch(() => undefined);
  if (!runs) return point(true, 'abandoned runs', undefined, 'cannot list namespaces with these credentials');
  const list = runs
    .map((r) => `${r.runId}${r.lab ? ` (${r.lab})` : ''}: ${r.namespaces.join(', ')}, lease last renewed ${r.lastSeen}`)
    .join('; ');
  point(
    true,
    runs.length ? `abandoned runs: ${runs.length} (the next podlab run reaps them)` : 'no abandoned runs',
    list || undefined,
  );
}

export interface DoctorFlags extends ClusterTarget {
  /** the image the pull test starts (default: LAB_IMAGE, else the platform's lab image) */
  image?: string;
  /** false with --no-pull */
  pull?: boolean;
  /** the pull test's time limit, in seconds */
  pullTimeout?: number;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * The points, streamed as TAP and redacted with `redactor` (the command's, which learns the kubeconfig's
 * credentials); true when none failed. A signal ends the pull test (its namespace still goes), then throws Interrupted.
 */
export async function doctor(flags: DoctorFlags, redactor: Redactor): Promise<boolean> {
  console.log('TAP version 14');
  let n = 0;
  let ok = true;
  const point: Point = (pass, name, detail, skip) => {
    n++;
    if (!pass && !skip) ok = false;
    const diag = typeof detail === 'string' ? { detail } : detail;
    console.log(
      tapPoint(n, { ok: pass, name, ...(skip ? { skip } : {}), ...(diag ? { diag } : {}) }, redactor).join('\n'),
    );
  };
  const ac = new AbortController();
  let signal: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    signal = sig;
    console.error(`podlab: ${sig} received: removing the pull test's namespace`);
    ac.abort(new Error(`interrupted by ${sig}`));
  };
  SIGNALS.forEach((s) => process.once(s, onSignal));
  try {
    const cluster = await reachable(flags, point, redactor);
    if (cluster && ok) await clusterPoints(cluster, flags, point, ac.signal);
  } finally {
    SIGNALS.forEach((s) => process.off(s, onSignal));
  }
  if (!signal) await kubectlPoint(point);
  console.log(`1..${n}`);
  if (signal) throw new Interrupted(signal);
  return ok;
}

async function reachable(flags: ClusterTarget, point: Point, redactor: Redactor): Promise<Cluster | undefined> {
  try {
    const cluster = new Cluster(loadKubeConfig(flags));
    credentialsOf(cluster.kubeconfig).forEach((c) => redactor.add(c));
    const version = await cluster.kubeconfig
      .makeApiClient((await import('@kubernetes/client-node')).VersionApi)
      .getCode();
    point(true, `API server reachable (${version.gitVersion})`);
    return cluster;
  } catch (err) {
    point(
      false,
      'API server reachable',
      `${describeError(err)} — start one with \`podlab cluster up\` or set KUBECONFIG`,
    );
    return undefined;
  }
}

async function clusterPoints(cluster: Cluster, flags: DoctorFlags, point: Point, signal: AbortSignal): Promise<void> {
  await rbacPoints(cluster, point);
  await abandonedPoint(cluster, point);
  const classes = (await cluster.node.listRuntimeClass()).items;
  const sandbox = detectSandbox(classes);
  point(
    Boolean(sandbox),
    `sandbox RuntimeClass${sandbox ? `: ${sandbox.name} (${sandbox.profile})` : ''}`,
    sandbox
      ? runtimeClassDiag(
          sandbox,
          classes.find((c) => c.metadata?.name === sandbox.name),
        )
      : undefined,
    sandbox ? undefined : 'no kata-* or gvisor RuntimeClass: steps that require sandbox-runtime will be skipped',
  );
  if (sandbox) await nodePoint(cluster, sandbox, point);
  if (flags.pull === false) return point(true, 'the lab image can be pulled', undefined, '--no-pull');
  const platform = await detectPlatform(cluster, sandbox).catch(() => 'other');
  const image = flags.image ?? platformLabImage(platform);
  const timeoutMs = (flags.pullTimeout ?? 90) * 1000;
  for (const p of await pullTest(cluster, { image, runtimeClass: sandbox?.name, platform, timeoutMs, signal }))
    point(p.ok, p.name, p.diag, p.skip);
}

/** What the labs' pods get from the RuntimeClass: its handler, the overhead added to their requests, and where they may run. */
function runtimeClassDiag(sandbox: SandboxRuntime, rc: V1RuntimeClass | undefined): Record<string, unknown> {
  const tolerations = (rc?.scheduling?.tolerations ?? []).map(
    (t) =>
      `${t.key ?? '(any key)'} ${t.operator ?? 'Equal'}${t.value ? ` ${t.value}` : ''}${t.effect ? `: ${t.effect}` : ''}`,
  );
  return {
    profile: sandbox.profile,
    handler: sandbox.handler,
    overhead: sandbox.overhead ?? 'none',
    nodeSelector: sandbox.nodeSelector ?? 'none',
    tolerations: tolerations.length ? tolerations : 'none',
  };
}

async function nodePoint(cluster: Cluster, sandbox: SandboxRuntime, point: Point): Promise<void> {
  const selector = Object.entries(sandbox.nodeSelector ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const nodes = (await cluster.core.listNode({ labelSelector: selector || undefined })).items.filter(
    (nd) => !nd.spec?.unschedulable && nd.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
  point(
    nodes.length > 0,
    `a Ready, schedulable node for ${sandbox.name}${selector ? ` (${selector})` : ''}`,
    nodes.length ? undefined : 'no node can run sandboxed pods',
  );
}

async function kubectlPoint(point: Point): Promise<void> {
  const kubectl = await execa('kubectl', ['version', '--client'], { reject: false });
  point(
    kubectl.exitCode === 0,
    'kubectl on PATH (attendees type kubectl commands)',
    undefined,
    kubectl.exitCode === 0
      ? undefined
      : 'kubectl not found: `eval "$(podlab cluster env)"` puts the embedded one on PATH',
  );
}
