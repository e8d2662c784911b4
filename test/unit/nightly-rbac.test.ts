// manifests/nightly/rbac.yaml grants exactly what a run checks for before it starts (harness/src/k8s/access.ts):
// no permission missing (the run would stop with exit 3), none more (least privilege). Pure logic.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { RUN_PERMISSIONS } from '../../harness/src/k8s/access.js';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
const docs = parseAllDocuments(readFileSync(new URL('../../manifests/nightly/rbac.yaml', import.meta.url), 'utf8')).map(
  (d) => d.toJS() as { kind: string; rules?: Rule[] },
);
const rules = docs.find((d) => d.kind === 'ClusterRole')!.rules!;
const granted = new Set(
  rules.flatMap((r) =>
    r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}|${res}|${v}`))),
  ),
);
const needed = new Set(RUN_PERMISSIONS.map((p) => `${p.group}|${p.resource}|${p.verb}`));

t.test('every permission a run checks is granted', async (t) => {
  t.same(
    [...needed].filter((k) => !granted.has(k)),
    [],
  );
});

t.test('nothing is granted that a run does not check for', async (t) => {
  t.same(
    [...granted].filter((k) => !needed.has(k)),
    [],
  );
  t.notOk(
    [...granted].some((k) => k.includes('secrets') || k.includes('rbac.authorization.k8s.io') || k.includes('*')),
    'no Secrets, RBAC or wildcards',
  );
});

t.test('the ServiceAccount the CronJob runs as is the one bound', async (t) => {
  const cron = parseAllDocuments(
    readFileSync(new URL('../../manifests/nightly/cronjob.yaml', import.meta.url), 'utf8'),
  )[0]!.toJS() as {
    metadata: { namespace: string };
    spec: { jobTemplate: { spec: { backoffLimit: number; template: { spec: { serviceAccountName: string } } } } };
  };
  const binding = docs.find((d) => d.kind === 'ClusterRoleBinding') as unknown as {
    subjects: Array<{ name: string; namespace: string }>;
  };
  t.same(binding.subjects, [
    {
      kind: 'ServiceAccount',
      name: cron.spec.jobTemplate.spec.template.spec.serviceAccountName,
      namespace: cron.metadata.namespace,
    },
  ]);
  t.equal(cron.spec.jobTemplate.spec.backoffLimit, 0, 'a failed run is not retried');
});
