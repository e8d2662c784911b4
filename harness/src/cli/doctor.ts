// podlab doctor: what this cluster offers the labs, as TAP; a missing capability is a SKIP with its reason.
import { execa } from 'execa';
import { Cluster } from '../k8s/cluster.js';
import { detectSandbox } from '../k8s/detect.js';
import { describeError } from '../k8s/retry.js';
import { reviewAccess } from '../k8s/access.js';
import { loadKubeConfig, type ClusterTarget } from '../k8s/kubeconfig.js';
import { tapPoint } from '../report/tap.js';
import { abandonedRuns } from '../runner/reaper.js';

type Point = (pass: boolean, name: string, detail?: string, skip?: string) => void;

/** One point per permission a run needs (k8s/access.ts), asked with SelfSubjectAccessReview in every namespace. */
async function rbacPoints(cluster: Cluster, point: Point): Promise<void> {
  for (const [p, allowed] of await reviewAccess(cluster, '')) {
    const detail = allowed === undefined ? 'the access review failed' : `ask your cluster admin for it (${p.why}; see manifests/nightly/rbac.yaml)`;
    point(allowed === true, `RBAC allows ${p.verb} ${p.resource}${p.scope === 'cluster' ? ' cluster-wide' : ''}`, allowed ? undefined : detail);
  }
}

/** Runs killed before their teardown: listed, not failed (the next `podlab run` reaps them). */
async function abandonedPoint(cluster: Cluster, point: Point): Promise<void> {
  const runs = await abandonedRuns(cluster).catch(() => undefined);
  if (!runs) return point(true, 'abandoned runs', undefined, 'cannot list namespaces with these credentials');
  const list = runs.map((r) => `${r.runId}${r.lab ? ` (${r.lab})` : ''}: ${r.namespaces.join(', ')}, lease last renewed ${r.lastSeen}`).join('; ');
  point(true, runs.length ? `abandoned runs: ${runs.length} (the next podlab run reaps them)` : 'no abandoned runs', list || undefined);
}

export async function doctor(flags: ClusterTarget): Promise<boolean> {
  const lines: string[] = [];
  let n = 0;
  let ok = true;
  const point: Point = (pass, name, detail, skip) => {
    n++;
    if (!pass && !skip) ok = false;
    lines.push(...tapPoint(n, { ok: pass, name, ...(skip ? { skip } : {}), ...(detail ? { diag: { detail } } : {}) }));
  };
  let cluster: Cluster | undefined;
  try {
    cluster = new Cluster(loadKubeConfig(flags));
    const version = await cluster.kubeconfig.makeApiClient((await import('@kubernetes/client-node')).VersionApi).getCode();
    point(true, `API server reachable (${version.gitVersion})`);
  } catch (err) {
    point(false, 'API server reachable', `${describeError(err)} — start one with \`podlab cluster up\` or set KUBECONFIG`);
  }
  if (cluster && ok) {
    await rbacPoints(cluster, point);
    await abandonedPoint(cluster, point);
    const classes = (await cluster.node.listRuntimeClass()).items;
    const sandbox = detectSandbox(classes);
    point(
      Boolean(sandbox),
      `sandbox RuntimeClass${sandbox ? `: ${sandbox.name} (${sandbox.profile})` : ''}`,
      undefined,
      sandbox ? undefined : 'no kata-* or gvisor RuntimeClass: steps that require sandbox-runtime will be skipped',
    );
    if (sandbox) {
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
  }
  const kubectl = await execa('kubectl', ['version', '--client'], { reject: false });
  point(
    kubectl.exitCode === 0,
    'kubectl on PATH (attendees type kubectl commands)',
    undefined,
    kubectl.exitCode === 0 ? undefined : 'kubectl not found: `eval "$(podlab cluster env)"` puts the embedded one on PATH',
  );
  console.log(['TAP version 14', ...lines, `1..${n}`].join('\n'));
  return ok;
}
