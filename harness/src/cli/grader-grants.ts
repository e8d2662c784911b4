// podlab room grant | revoke (also part of `room up` / `room down`): gives the grader's ServiceAccount what grading a room needs, and no more
// (room/grader.ts), or takes it back.
import { PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { UsageError } from '../errors.js';
import { resolveNamespaces } from '../grade/selectors.js';
import { DEFAULT_GRADER, graderObjects, parseAccount, type GraderAccount } from '../room/grader.js';
import type { Cluster } from '../k8s/cluster.js';
import { isNotFound } from '../k8s/retry.js';
import type { ClusterTarget } from '../k8s/kubeconfig.js';
import { connect } from './common.js';
import { EXIT } from './exit.js';
import type { Redactor } from '../report/redact.js';

type RoomFlags = ClusterTarget & { namespaces: string; serviceAccount?: string; dryRun?: boolean };

async function objectsFor(
  opts: RoomFlags,
  redactor: Redactor,
): Promise<{ cluster: Cluster; sa: GraderAccount; attendees: string[]; objects: KubernetesObject[] }> {
  const sa = opts.serviceAccount ? parseAccount(opts.serviceAccount) : DEFAULT_GRADER;
  if (!sa)
    throw new UsageError(
      `--service-account ${opts.serviceAccount}: expected <namespace>/<name>, e.g. podlab-grading/podlab-grader`,
    );
  const { cluster } = connect(opts, redactor);
  const attendees = await resolveNamespaces(cluster, opts.namespaces);
  if (!attendees.length)
    throw new UsageError(
      `--namespaces ${opts.namespaces}: no namespace matches; create the attendees' namespaces first`,
    );
  return { cluster, sa, attendees, objects: graderObjects(attendees, sa) };
}

export async function grant(opts: RoomFlags, redactor: Redactor): Promise<number> {
  const { cluster, sa, attendees, objects } = await objectsFor(opts, redactor);
  if (opts.dryRun) {
    process.stdout.write(objects.map((o) => stringify(o)).join('---\n'));
    return EXIT.ok;
  }
  for (const o of objects)
    await cluster.objects.patch(o, undefined, undefined, 'podlab', true, PatchStrategy.ServerSideApply);
  console.error(
    `podlab: ${sa.namespace}/${sa.name} may read what checks read, and exec in ${attendees.length} namespaces: ${attendees.join(', ')}`,
  );
  console.error(`podlab: a token for its kubeconfig: kubectl create token ${sa.name} -n ${sa.namespace} --duration 8h`);
  return EXIT.ok;
}

/** Deletes the grants, the room's Roles first, the account's namespace last. */
export async function revoke(opts: RoomFlags, redactor: Redactor): Promise<number> {
  const { cluster, sa, objects } = await objectsFor(opts, redactor);
  for (const o of [...objects].reverse()) {
    if (opts.dryRun)
      console.log(
        `would delete ${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`,
      );
    else await cluster.objects.delete(o).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
  }
  if (!opts.dryRun) console.error(`podlab: ${sa.namespace}/${sa.name} and its grants are deleted`);
  return EXIT.ok;
}
