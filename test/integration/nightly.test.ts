// The nightly CronJob (manifests/nightly/) on the embedded cluster: podlab inside the cluster, with the pod's
// ServiceAccount and the manifests' RBAC, passes the hello lab, leaves nothing, and logs valid JUnit; with one
// verb fewer in its role it stops before making anything, with exit code 3 and a message naming the verb.
import t from 'tap';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import {
  BatchV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  type KubernetesObject,
  type V1CronJob,
  type V1Job,
} from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';
import { createNamespace } from '../../harness/src/runner/namespace.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const SOCKET = '/run/podlab/containerd/containerd.sock';
const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);
const batch = kc.makeApiClient(BatchV1Api);
const rbac = kc.makeApiClient(RbacAuthorizationV1Api);

const id = randomBytes(3).toString('hex');
const ns = `podlab-nightly-test-${id}`;
const roleName = `podlab-nightly-test-${id}`;

type Manifest = KubernetesObject & {
  roleRef: { name: string };
  subjects: Array<{ namespace: string }>;
  spec: { suspend?: boolean };
};

/** The manifests as shipped, moved into this test's namespace and names (their Namespace is this test's). */
function manifests(): KubernetesObject[] {
  const docs = ['rbac.yaml', 'cronjob.yaml'].flatMap((f) =>
    parseAllDocuments(readFileSync(`${repo}manifests/nightly/${f}`, 'utf8')).map((d) => d.toJS() as Manifest),
  );
  return docs
    .filter((d) => d.kind !== 'Namespace')
    .map((d) => {
      if (d.kind === 'ClusterRole' || d.kind === 'ClusterRoleBinding') d.metadata!.name = roleName;
      else d.metadata!.namespace = ns;
      if (d.kind === 'ClusterRoleBinding') {
        d.roleRef.name = roleName;
        d.subjects[0].namespace = ns;
      }
      if (d.kind === 'CronJob') d.spec.suspend = true; // only the Jobs this test makes run
      return d;
    });
}

/** `kubectl create job --from=cronjob/...`: the CronJob's template as a Job; waits (by watch) until it ends. */
async function runJob(name: string): Promise<{ job: V1Job; exitCode?: number; log: string }> {
  const cron: V1CronJob = await batch.readNamespacedCronJob({ name: 'podlab-nightly', namespace: ns });
  await batch.createNamespacedJob({
    namespace: ns,
    body: {
      metadata: { name, annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' } },
      spec: cron.spec!.jobTemplate.spec,
    },
  });
  const ended = (j: V1Job) =>
    Boolean(j.status?.conditions?.some((c) => ['Complete', 'Failed'].includes(c.type) && c.status === 'True'));
  const job = await cluster.waitFor<V1Job>({
    path: `/apis/batch/v1/namespaces/${ns}/jobs`,
    name,
    timeoutMs: 150_000,
    what: `Job ${name}`,
    predicate: ended,
    list: () => batch.listNamespacedJob({ namespace: ns, fieldSelector: `metadata.name=${name}` }),
  });
  const pod = (await cluster.core.listNamespacedPod({ namespace: ns, labelSelector: `job-name=${name}` })).items[0];
  const log = pod ? await cluster.core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace: ns }) : '';
  return { job, exitCode: pod?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, log };
}

const between = (log: string, kind: string) =>
  new RegExp(
    `^----- BEGIN podlab ${kind} hello-pod -----\\n([\\s\\S]*?)\\n----- END podlab ${kind} hello-pod -----$`,
    'm',
  ).exec(log)?.[1];

t.teardown(async () => {
  await rbac.deleteClusterRoleBinding({ name: roleName }).catch(() => {});
  await rbac.deleteClusterRole({ name: roleName }).catch(() => {});
  await cluster.deleteNamespace(ns, 120_000).catch(() => {});
});

t.before(async () => {
  // Built once per content and imported once per digest (cluster/images/build-runner-image.sh): warm, no work.
  const built = await execa('bash', [`${repo}cluster/images/build-runner-image.sh`, '--import', SOCKET], {
    reject: false,
    timeout: 300_000,
  });
  if (built.exitCode !== 0) throw new Error(`build-runner-image.sh failed: ${built.stderr}`);
  await createNamespace(cluster, ns, { 'app.kubernetes.io/managed-by': 'podlab-test' });
  for (const o of manifests()) await cluster.objects.create(o);
});

t.test('a Job from the CronJob passes the hello lab, leaves nothing and logs valid JUnit', async (t) => {
  const { job, exitCode, log } = await runJob(`hello-${id}`);
  t.equal(exitCode, 0, exitCode === 0 ? 'exit 0' : log);
  t.ok(job.status?.succeeded, 'the Job completed');
  const junit = between(log, 'junit');
  t.ok(junit, 'the log holds the JUnit report between its markers');
  const file = `${t.testdir()}/nightly.xml`;
  writeFileSync(file, junit ?? '');
  const v = await execa('xmllint', ['--noout', '--schema', `${repo}test/fixtures/junit.xsd`, file], { reject: false });
  t.equal(v.exitCode, 0, `valid JUnit: ${v.stderr}`);
  t.match(junit, /<testsuite name="hello-pod\/hello"[^>]* tests="2" failures="0"/);
  const json = JSON.parse(between(log, 'json') ?? '{}') as {
    ok?: boolean;
    runId?: string;
    namespace?: string;
    platform?: string;
  };
  t.equal(json.ok, true, 'the JSON report is there too');
  t.equal(json.platform, 'other', 'in a pod, with a ServiceAccount, it is not the embedded admin');
  t.ok(json.runId);
  t.same(await cluster.labelled(`podlab.dev/run=${json.runId}`), [], 'nothing labelled with the run id is left');
  const left = await cluster.core.listNamespace({ fieldSelector: `metadata.name=${json.namespace}` });
  t.equal(left.items.length, 0, `its namespace ${json.namespace} is gone`);
});

t.test('a role missing one verb: exit 3, the verb named, nothing made', async (t) => {
  const role = await rbac.readClusterRole({ name: roleName });
  const exec = role.rules!.find((r) => r.resources?.includes('pods/exec'))!;
  exec.verbs = exec.verbs.filter((v) => v !== 'create');
  await rbac.replaceClusterRole({ name: roleName, body: role });
  const { job, exitCode, log } = await runJob(`lacking-${id}`);
  t.equal(exitCode, 3, exitCode === 3 ? 'exit 3' : log);
  t.ok(job.status?.failed, 'the Job failed');
  t.match(
    log,
    /podlab: RBAC: the run did not start, as this identity may not: create pods\/exec in namespace podlab-hello-pod-[\w-]+ \(commands in pods/,
  );
  t.match(log, /manifests\/nightly\/rbac\.yaml/, 'it says where the permissions are listed');
  t.notMatch(log, /# podlab run hello-pod/, 'no run started, so no namespace was made');
  t.notOk(between(log, 'junit'), 'no report of a run that did not start');
});
