// podlab room grant: gives the grader's ServiceAccount what grading a room needs, and no more (room-rbac.ts).
import { PatchStrategy } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { UsageError } from '../errors.js';
import { resolveNamespaces } from '../grade/cohort.js';
import { DEFAULT_GRADER, graderObjects, parseAccount } from '../grade/room-rbac.js';
import type { ClusterTarget } from '../k8s/kubeconfig.js';
import { connect } from './common.js';
import { EXIT } from './exit.js';

export async function grant(opts: ClusterTarget & { namespaces: string; serviceAccount?: string; dryRun?: boolean }): Promise<number> {
  const sa = opts.serviceAccount ? parseAccount(opts.serviceAccount) : DEFAULT_GRADER;
  if (!sa) throw new UsageError(`--service-account ${opts.serviceAccount}: expected <namespace>/<name>, e.g. podlab-grading/podlab-grader`);
  const { cluster } = connect(opts);
  const attendees = await resolveNamespaces(cluster, opts.namespaces);
  if (!attendees.length) throw new UsageError(`--namespaces ${opts.namespaces}: no namespace matches; create the attendees' namespaces first`);
  const objects = graderObjects(attendees, sa);
  if (opts.dryRun) {
    process.stdout.write(objects.map((o) => stringify(o)).join('---\n'));
    return EXIT.ok;
  }
  for (const o of objects) await cluster.objects.patch(o, undefined, undefined, 'podlab', true, PatchStrategy.ServerSideApply);
  console.error(`podlab: ${sa.namespace}/${sa.name} may read the room and exec in ${attendees.length} namespaces: ${attendees.join(', ')}`);
  console.error(`podlab: a token for its kubeconfig: kubectl create token ${sa.name} -n ${sa.namespace} --duration 8h`);
  return EXIT.ok;
}
