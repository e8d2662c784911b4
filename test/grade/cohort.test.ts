// A small cohort on the embedded cluster, graded read-only: the exact matrix, and the exports.
import t from 'tap';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';
import type { GradeMatrix } from '../../harness/src/grade/matrix.js';
import { POD_SANDBOXING_STEPS } from '../helpers/labs.js';
import { createNamespace } from '../../harness/src/runner/namespace.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const podlab = (...args: string[]) =>
  execa(process.execPath, [`${repo}bin/podlab.js`, ...args], {
    reject: false,
    env: { KUBECONFIG: EMBEDDED_KUBECONFIG },
  });
const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);
const prefix = `cohort-${process.pid}`;
const ns = (who: string) => `${prefix}-${who}`;
const pod = (name: string, extra: Partial<V1Pod['spec']> = {}, image = 'localhost/podlab-lab:latest'): V1Pod => ({
  metadata: { name, labels: { 'app.kubernetes.io/part-of': 'pod-sandboxing' } },
  spec: {
    terminationGracePeriodSeconds: 1,
    ...extra,
    containers: [{ name: 'main', image, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
  },
});

t.before(async () => {
  for (const who of ['complete', 'wrong-runtime', 'not-running', 'empty']) {
    await createNamespace(cluster, ns(who));
  }
  const solved = await podlab('solve', 'pod-sandboxing', '--to', 'compare-kernels', '--namespace', ns('complete'));
  if (solved.exitCode !== 0) throw new Error(`solve failed: ${solved.stdout}${solved.stderr}`);
  for (const name of ['sandboxed', 'normal']) {
    // both on runc: the "sandboxed" one forgot its runtimeClassName
    await cluster.core.createNamespacedPod({ namespace: ns('wrong-runtime'), body: pod(name) });
  }
  await cluster.core.createNamespacedPod({
    namespace: ns('not-running'),
    body: pod('sandboxed', { runtimeClassName: 'gvisor' }, 'localhost/no-such-image:1'),
  });
  await cluster.core.createNamespacedPod({ namespace: ns('not-running'), body: pod('normal') });
  for (const [who, name] of [
    ['wrong-runtime', 'sandboxed'],
    ['wrong-runtime', 'normal'],
    ['not-running', 'normal'],
  ]) {
    await cluster.waitForPod(ns(who!), name!, (p) => p.status?.phase === 'Running', 120_000);
  }
});
t.teardown(async () => {
  for (const who of ['complete', 'wrong-runtime', 'not-running', 'empty'])
    await cluster.deleteNamespace(ns(who), 120_000).catch(() => undefined);
});

const STEPS = POD_SANDBOXING_STEPS;

t.test('the exact matrix, with a missing namespace reported as such', async (t) => {
  const names = ['complete', 'wrong-runtime', 'not-running', 'empty', 'missing'].map(ns).join(',');
  const r = await podlab('grade', 'pod-sandboxing', '--namespaces', names, '--format', 'json');
  t.equal(r.exitCode, 0, r.stderr);
  const m = JSON.parse(r.stdout) as GradeMatrix;
  t.same(
    m.steps.map((s) => s.id),
    STEPS,
  );
  const row = (who: string) => m.attendees.find((a) => a.attendee === ns(who))!;
  const statuses = (who: string) => STEPS.map((id) => row(who).cells[id]?.status);
  const todo = (n: number) => Array<string>(n).fill('todo');
  t.same(statuses('complete'), [
    'done',
    'done',
    'done',
    'done',
    'todo',
    'todo',
    'todo',
    'todo',
    'todo',
    'todo',
    'todo',
    'todo',
  ]);
  t.same(statuses('wrong-runtime'), ['done', ...todo(10), 'todo']);
  t.match(row('wrong-runtime').cells['deploy-pods']?.reason, /must name the sandbox RuntimeClass/);
  t.same(statuses('not-running'), ['done', ...todo(10), 'todo']);
  t.match(
    row('not-running').cells['deploy-pods']?.reason,
    /not running yet \(container waiting: (ErrImagePull|ImagePullBackOff|ErrImageNeverPull)/,
  );
  t.same(statuses('empty'), ['done', ...todo(11)]);
  t.same([row('complete').score, row('complete').maxScore], [4, 13], 'weights: ping-pods counts 2');
  t.same([row('empty').score, row('empty').maxScore], [1, 13], 'an empty namespace gets no clean-up credit');
  t.equal(row('missing').reachable, false);
  t.match(row('missing').error, /does not exist/);
});

t.test('CSV and JUnit exports of the same cohort', async (t) => {
  const names = ['complete', 'empty'].map(ns).join(',');
  const csv = await podlab('grade', 'pod-sandboxing', '--namespaces', names, '--format', 'csv');
  const lines = csv.stdout.trim().split('\r\n');
  t.equal(lines[0], ['attendee', 'namespace', 'reachable', ...STEPS, 'score', 'max_score'].join(','));
  t.equal(
    lines[1],
    `${ns('complete')},${ns('complete')},true,done,done,done,done,todo,todo,todo,todo,todo,todo,todo,todo,4,13`,
  );
  const dir = t.testdir();
  const junit = await podlab(
    'grade',
    'pod-sandboxing',
    '--namespaces',
    names,
    '--format',
    'junit',
    '--output',
    `${dir}/grade.xml`,
  );
  t.equal(junit.exitCode, 0);
  const v = await execa('xmllint', ['--noout', '--schema', `${repo}test/fixtures/junit.xsd`, `${dir}/grade.xml`], {
    reject: false,
  });
  t.equal(v.exitCode, 0, v.stderr);
});

t.test('a glob selects the cohort, and grading created nothing', async (t) => {
  const cohortPods = async () =>
    (await cluster.core.listPodForAllNamespaces()).items
      .filter((p) => p.metadata?.namespace?.startsWith(prefix))
      .map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)
      .sort();
  const before = await cohortPods();
  const r = await podlab('grade', 'pod-sandboxing', '--namespaces', `${prefix}-*`);
  t.equal(r.exitCode, 0, r.stderr);
  for (const who of ['complete', 'wrong-runtime', 'not-running', 'empty']) t.match(r.stdout, ns(who));
  t.notMatch(r.stdout, ns('missing'), 'a glob only finds namespaces that exist');
  t.same(await cohortPods(), before, 'no pod was created by grading');
});
