// `podlab rehearse` on the embedded cluster, kept small for CI: hello-pod by two attendees at once, each with its own
// kubeconfig, graded live; every step passed by both, the final matrix full, nothing left behind. A room one
// attendee larger than the cluster holds is refused before anything is made. (The full Pod Sandboxing rehearsal
// at its planned size is in `npm run bench`.)
import t from 'tap';
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';
import type { RunResult } from '../../harness/src/report/model.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const podlab = (args: string[]) =>
  execa(process.execPath, [`${repo}bin/podlab.js`, ...args], {
    reject: false,
    env: { KUBECONFIG: EMBEDDED_KUBECONFIG },
    timeout: 240_000,
  });
const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);
const prefix = `rehearse-t${process.pid}-`;
const ours = async (p: string) =>
  (await cluster.core.listNamespace()).items.map((n) => n.metadata?.name ?? '').filter((n) => n.startsWith(p));

t.teardown(async () => {
  // only if a failed run left something: the rehearsal's own room down should have removed all of it
  for (const p of [prefix, `${prefix}x-`, `${prefix}i-`]) await podlab(['room', 'down', 'hello-pod', '--prefix', p]);
});

t.test('hello-pod by two attendees at once: every step 2/2, the matrix full, nothing left', async (t) => {
  const out = `${t.testdir()}/rehearsal.json`;
  const r = await podlab([
    'rehearse',
    'hello-pod',
    '--attendees',
    '2',
    '--prefix',
    prefix,
    '--reporter',
    'json',
    '--output',
    out,
    '--grade-interval',
    '2',
  ]);
  t.equal(r.exitCode, 0, r.stderr);
  const result = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
  const labSteps = result.steps.filter((s) => s.id !== 'final-matrix');
  t.same(
    labSteps.map((s) => [s.id, s.evidence?.passes, s.evidence?.attendees]),
    [
      ['deploy-pod', 2, 2],
      ['say-hello', 2, 2],
    ],
  );
  for (const s of labSteps)
    t.ok((s.evidence?.p95_ms as number) >= (s.evidence?.p50_ms as number), `${s.id}: p95 ≥ p50`);
  t.match(result.steps.at(-1), { id: 'final-matrix', status: 'pass' }, "the grader's final matrix is full");
  t.match(result.teardown, { status: 'pass', evidence: { namespaces: [`${prefix}1`, `${prefix}2`] } });
  t.match(r.stderr, /deploy-pod +2\/2 passed, p50 [\d.]+ s, p95 [\d.]+ s/);
  t.match(r.stderr, /^1: podlab: PASS say-hello$/m, "each attendee's steps as they come");
  t.same(await ours(prefix), [], 'room down removed every namespace');
  t.notOk(existsSync(`${tmpdir()}/podlab-${prefix.slice(0, -1)}`), 'and the kubeconfigs');
});

t.test('interrupted once the attendees type: the runs stop, room down still runs, nothing is left', async (t) => {
  const p = `${prefix}i-`;
  const child = podlab(['rehearse', 'hello-pod', '--attendees', '2', '--prefix', p, '--reporter', 'json']);
  await new Promise<void>((resolve) =>
    child.stderr!.on('data', (d: Buffer) => {
      if (/PASS deploy-pod/.test(String(d))) resolve();
    }),
  );
  child.kill('SIGINT');
  const r = await child;
  t.equal(r.exitCode, 1, r.stderr);
  const result = JSON.parse(r.stdout) as RunResult;
  t.match(result, { ok: false, interrupted: /SIGINT/, teardown: { status: 'pass' } });
  t.same(await ours(p), [], 'room down removed every namespace');
});

t.test('one attendee more than the cluster holds is refused before anything is made', async (t) => {
  const many = await podlab(['rehearse', 'pod-sandboxing', '--attendees', '1000', '--prefix', `${prefix}x-`]);
  const holds = Number(/holds (\d+) attendee/.exec(many.stderr)?.[1]);
  t.ok(holds >= 2, `the 2-CPU node holds at least two attendees of the lab (${many.stderr})`);
  const r = await podlab(['rehearse', 'pod-sandboxing', '--attendees', String(holds + 1), '--prefix', `${prefix}x-`]);
  t.not(r.exitCode, 0);
  t.not(r.exitCode, 1, 'not a failed rehearsal: a refusal');
  t.match(r.stderr, new RegExp(`holds ${holds} attendee\\(s\\) of pod-sandboxing, not ${holds + 1}`));
  t.same(await ours(`${prefix}x-`), [], 'no namespace was made');
  t.equal(r.stdout, '', 'no report: nothing ran');
});
