// The grader's rights (pure): exec and logs only in the room's namespaces; the manifest for GitOps is the same
// cluster-wide part that `podlab room grant` applies.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { graderObjects, parseAccount, ROOM_ROLE } from '../../harness/src/room/grader.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
type Rule = { resources: string[]; verbs: string[] };
type Obj = { kind: string; metadata: { name: string; namespace?: string }; rules?: Rule[] };

t.test('exec and logs are granted per attendee namespace, never cluster-wide', async (t) => {
  const objects = graderObjects(['attendee-1', 'attendee-2']) as unknown as Obj[];
  const clusterRules = objects.filter((o) => o.kind === 'ClusterRole').flatMap((o) => o.rules ?? []);
  const clusterResources = clusterRules.flatMap((r) => r.resources);
  t.notOk(
    clusterResources.some((r) => r.includes('/')),
    `no subresource (exec, log) cluster-wide: ${clusterResources.join(', ')}`,
  );
  for (const r of ['configmaps', 'events', 'secrets', 'services'])
    t.notOk(clusterResources.includes(r), `${r} are not read cluster-wide`);
  t.notOk(
    clusterRules.some(
      (r) =>
        r.verbs.some((v) => !['get', 'list', 'watch'].includes(v)) && !r.resources.includes('selfsubjectaccessreviews'),
    ),
    'cluster-wide, only reads',
  );
  const roles = objects.filter((o) => o.kind === 'Role');
  t.same(
    roles.map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
    [`attendee-1/${ROOM_ROLE}`, `attendee-2/${ROOM_ROLE}`],
  );
  t.same(
    roles[0]!.rules!.flatMap((r) => r.resources),
    ['pods/exec', 'pods/log'],
  );
  t.equal(objects.filter((o) => o.kind === 'RoleBinding').length, 2);
});

t.test('manifests/grader/grader-rbac.yaml is the cluster-wide part of what room grant applies', async (t) => {
  const file = parseAllDocuments(readFileSync(`${repo}manifests/grader/grader-rbac.yaml`, 'utf8')).map(
    (d) => d.toJSON() as unknown,
  );
  t.same(file, graderObjects([]));
});

t.test('the account is namespace/name', async (t) => {
  t.same(parseAccount('podlab-grading/podlab-grader'), { namespace: 'podlab-grading', name: 'podlab-grader' });
  t.equal(parseAccount('podlab-grader'), undefined);
  t.equal(parseAccount('a/b/c'), undefined);
});
