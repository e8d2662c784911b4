// Grading costs what changed, on the embedded cluster: an unchanged pod is not exec'd again on the next pass,
// a changed one is (or one beside it in its namespace), a failed command is asked again, and a step the progress
// record has as done is judged without an exec at all.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';
import { Cohort } from '../../harness/src/grade/cohort.js';
import { sourcesFrom } from '../../harness/src/grade/sources.js';
import { planOf } from '../../harness/src/cli/common.js';
import { Journal } from '../../harness/src/progress/journal.js';
import { Redactor } from '../../harness/src/report/redact.js';
import type { GradeMatrix } from '../../harness/src/grade/matrix.js';
import { Snapshot } from '../../harness/src/grade/snapshot.js';
import { ExecReuse } from '../../harness/src/grade/exec-reuse.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);
const ns = `gradecost-reuse-${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 'podlab-reuse-'));

t.before(async () => {
  const solved = await execa(
    process.execPath,
    [`${repo}bin/podlab.js`, 'solve', 'hello-pod', '--to', 'say-hello', '-n', ns],
    {
      reject: false,
      env: { KUBECONFIG: EMBEDDED_KUBECONFIG },
    },
  );
  if (solved.exitCode !== 0) throw new Error(`solve failed: ${solved.stdout}${solved.stderr}`);
});
t.teardown(async () => {
  await cluster.deleteNamespace(ns, 120_000).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

const cells = (m: GradeMatrix) => Object.values(m.attendees[0]!.cells).map((c) => c.status);

async function room(journal?: Journal) {
  const plan = await planOf('hello-pod');
  if (!plan) throw new Error('hello-pod does not plan');
  const ac = new AbortController();
  const r = new Cohort(plan, {
    sources: sourcesFrom({ kubeconfig: EMBEDDED_KUBECONFIG }, new Redactor()),
    namespaces: ns,
    concurrency: 4,
    execConcurrency: 4,
    signal: ac.signal,
    journal,
  });
  t.teardown(() => r.stop());
  return r;
}

t.test('an exec is reused while its pod is unchanged, and asked again once it changes', async (t) => {
  const r = await room();
  let changed: () => void = () => undefined;
  r.watch(() => changed());
  t.same(cells(await r.grade()), ['done', 'done']);
  const first = r.stats().execs;
  t.equal(first, 1, 'say-hello asked its pod once');
  t.same(cells(await r.grade()), ['done', 'done']);
  t.equal(r.stats().execs - first, 0, 'an unchanged pass execs nothing');
  // A label changes the pod's resourceVersion, as anything the attendee does to it would.
  const seen = new Promise<void>((resolve) => (changed = resolve));
  await cluster.core.patchNamespacedPod({
    name: 'hello',
    namespace: ns,
    body: [{ op: 'add', path: '/metadata/labels/touched', value: 'yes' }],
  });
  await seen;
  t.same(cells(await r.grade()), ['done', 'done']);
  t.equal(r.stats().execs - first, 1, 'the changed pod is exec’d again, once');
  t.same(cells(await r.grade({ full: true })), ['done', 'done']);
  t.equal(r.stats().execs - first, 2, 'a full regrade (--watch every --interval) asks again');
});

t.test('a step the record has as done is judged from the API alone', async (t) => {
  const journal = new Journal(join(work, 'progress.jsonl'));
  const recording = await room(journal);
  t.same(cells(await recording.grade()), ['done', 'done']);
  t.equal(recording.stats().execs, 1, 'the first pass execs and records');
  const fresh = await room(journal); // a new grader: nothing kept in memory, only the record
  const m = await fresh.grade();
  t.same(cells(m), ['done', 'done'], 'its pod is there: done now');
  t.equal(fresh.stats().execs, 0, 'no exec for a recorded step');
});

t.test('a kept result stands while the namespace is unchanged; a failed command is not kept', async (t) => {
  const snapshot = new Snapshot(cluster, () => [ns]);
  await snapshot.load(['pods', 'networkpolicies']);
  const reuse = new ExecReuse(snapshot);
  let sent = 0;
  const ask = (argv: string[]) =>
    reuse.result({ namespace: ns, pod: 'hello', argv }, () => {
      sent++;
      return cluster.exec(ns, 'hello', argv);
    });
  t.equal((await ask(['echo', 'hi'])).stdout.trim(), 'hi');
  t.equal((await ask(['echo', 'hi'])).stdout.trim(), 'hi');
  t.equal(sent, 1, 'the same command in the same pod: asked once');
  t.equal((await ask(['sh', '-c', 'exit 3'])).code, 3);
  t.equal((await ask(['sh', '-c', 'exit 3'])).code, 3);
  t.equal(sent, 3, 'a command that failed is asked again: what it lacked may not show in the API');
  // A NetworkPolicy beside the pod changes what a ping from it answers, though the pod itself is unchanged.
  await cluster.networking.createNamespacedNetworkPolicy({
    namespace: ns,
    body: { metadata: { name: 'deny-all' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
  });
  await snapshot.load(['pods', 'networkpolicies']);
  await ask(['echo', 'hi']);
  t.equal(sent, 4, 'a change in the namespace asks again');
  await ask(['echo', 'hi']);
  t.equal(sent, 4, 'and keeps the new answer');
});
