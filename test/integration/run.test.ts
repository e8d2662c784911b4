// `podlab run` end to end on the embedded cluster: exit codes, TAP, JUnit, SKIP, and nothing left behind.
import t from 'tap';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
import { parseTap } from '../helpers/tap.js';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const podlab = (...args: string[]) =>
  execa('node', [`${repo}bin/podlab.js`, ...args], { reject: false, env: { KUBECONFIG: EMBEDDED_KUBECONFIG } });
const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);

const runIdOf = (tap: string) => /namespace podlab-[\w-]+-(\d{8}-[0-9a-f]{6})/.exec(tap)?.[1];

t.test('hello-pod passes: exit 0, valid TAP, and its namespace is gone', async (t) => {
  const r = await podlab('run', 'hello-pod');
  t.equal(r.exitCode, 0, r.stderr);
  const final = await parseTap(r.stdout);
  t.equal(final.ok, true);
  t.equal(final.fail, 0);
  t.equal(final.count, 2, 'the module and the teardown');
  const runId = runIdOf(r.stdout);
  t.ok(runId, 'the run id is in the TAP header');
  t.same(await cluster.labelled(`podlab.dev/run=${runId}`), [], 'no object of this run remains');
});

t.test('a failing check and a throwing run: exit 1, expected/actual in YAML, still no leftovers', async (t) => {
  const r = await podlab('run', 'test/fixtures/run-labs/failing');
  t.equal(r.exitCode, 1);
  t.match(r.stdout, /not ok 2 - wrong-expectation[^\n]*\n\s+---\n(\s+.*\n)*?\s+expected: "blue"\n\s+actual: "green"\n/);
  t.match(r.stdout, /not ok 1 - throws[^\n]*\n\s+---\n\s+message: "deliberate failure in run\(\)/);
  t.match(r.stdout, /ok 3 - never-reached - Never reached # SKIP an earlier step of this module failed/);
  t.match(r.stdout, /ok 1 - teardown - teardown and leak audit/);
  const runId = runIdOf(r.stdout);
  t.ok(runId);
  t.same(await cluster.labelled(`podlab.dev/run=${runId}`), [], 'the pod made before the failure is gone too');
});

t.test('a failing teardown makes the run fail', async (t) => {
  const r = await podlab('run', 'test/fixtures/run-labs/bad-cleanup');
  t.equal(r.exitCode, 1, 'every step passed, yet the run fails');
  t.match(r.stdout, /ok 1 - passes/);
  t.match(
    r.stdout,
    /not ok 1 - teardown - teardown and leak audit\n\s+---\n\s+message: .*cleanup of passes: deliberate cleanup failure/,
  );
  const runId = runIdOf(r.stdout);
  t.same(await cluster.labelled(`podlab.dev/run=${runId}`), [], 'the namespace is still removed');
});

t.test('--reporter junit writes JUnit that validates', async (t) => {
  const dir = t.testdir();
  const r = await podlab(
    'run',
    'test/fixtures/run-labs/failing',
    '--reporter',
    'junit',
    '--output',
    `${dir}/report.xml`,
  );
  t.equal(r.exitCode, 1);
  const v = await execa('xmllint', ['--noout', '--schema', `${repo}test/fixtures/junit.xsd`, `${dir}/report.xml`], {
    reject: false,
  });
  t.equal(v.exitCode, 0, v.stderr);
});

t.test('a module that needs a sandbox is SKIP with the reason when there is none', async (t) => {
  const none = await podlab('run', 'test/fixtures/run-labs/sandboxed', '--sandbox-runtime', 'none');
  t.equal(none.exitCode, 0, 'a skip is not a failure');
  t.match(none.stdout, /ok 1 - sandbox-present - Sandbox present # SKIP the cluster has no sandbox RuntimeClass/);
  const present = await podlab('run', 'test/fixtures/run-labs/sandboxed');
  t.equal(present.exitCode, 0);
  t.match(present.stdout, /ok 1 - sandbox-present - Sandbox present\n/, 'with gVisor present the step runs');
});

t.test('usage errors exit 2, an unreachable cluster exits 3', async (t) => {
  t.equal((await podlab('run', 'hello-pod', '--step', 'no-such-step')).exitCode, 2);
  t.equal((await podlab('run', 'no-such-lab')).exitCode, 2);
  t.equal((await podlab('frobnicate')).exitCode, 2);
  const kubeconfig = `${t.testdir()}/unreachable.kubeconfig`;
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\nusers:\n- name: u\n  user: {token: x}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\n`,
  );
  const r = await podlab('run', 'hello-pod', '--kubeconfig', kubeconfig);
  t.equal(r.exitCode, 3, r.stderr);
  t.match(r.stderr, /cannot reach the cluster/);
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

t.test('the API client sees the embedded cluster', async (t) => {
  const nodes = await kc.makeApiClient(CoreV1Api).listNode();
  t.equal(nodes.items.length, 1);
});
