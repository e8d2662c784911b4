// Parallel step groups, `after`, and per-step timeouts that kill stuck child processes, through the CLI on the embedded cluster.
import t, { type Test } from 'tap';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseTap } from '../helpers/tap.js';
import { KubeConfig } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';
import type { RunResult, StepResult } from '../../harness/src/report/model.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const podlab = (args: string[], env: Record<string, string> = {}) =>
  execa('node', [`${repo}bin/podlab.js`, ...args], {
    reject: false,
    cwd: repo,
    timeout: 300_000,
    env: { KUBECONFIG: EMBEDDED_KUBECONFIG, ...env },
  });
const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);

const runIdOf = (tap: string) => /namespace podlab-[\w-]+-(\d{8}-[0-9a-f]{6})/.exec(tap)?.[1];
const byId = (r: RunResult, id: string): StepResult => {
  const s = r.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id} in the report`);
  return s;
};
const num = (s: StepResult, key: string) => Number(s.evidence?.[key]);
/** The step ids of podlab's progress lines on stderr, in the order they were written. */
const progressIds = (stderr: string) =>
  stderr
    .split('\n')
    .map((l) => /^podlab: \w+\s+(\S+)/.exec(l)?.[1])
    .filter(Boolean);

/** Asserts that two 3 s steps each waited their time and ran at once; returns [aStart, aEnd, bStart, bEnd]. */
function ranTogether(t: Test, a: StepResult, b: StepResult): [number, number, number, number] {
  t.ok(
    a.durationMs >= 3000 && b.durationMs >= 3000,
    `each step waited its 3 s (${a.durationMs} ms, ${b.durationMs} ms)`,
  );
  const [aStart, aEnd, bStart, bEnd] = [
    num(a, 'runStartedAt'),
    num(a, 'runEndedAt'),
    num(b, 'runStartedAt'),
    num(b, 'runEndedAt'),
  ];
  t.ok([aStart, aEnd, bStart, bEnd].every(Number.isFinite), 'start and end of both runs are in the report');
  t.ok(aStart < bEnd && bStart < aEnd, `the two 3 s waits overlapped (a ${aStart}..${aEnd}, b ${bStart}..${bEnd})`);
  const overlap = Math.min(aEnd, bEnd) - Math.max(aStart, bStart);
  t.ok(overlap >= 2000, `they overlapped for most of their length (${overlap} ms)`);
  return [aStart, aEnd, bStart, bEnd];
}

t.test('steps marked parallel run concurrently; the report keeps lab order', async (t) => {
  const json = await podlab(['run', 'test/fixtures/run-labs/parallel', '--reporter', 'json']);
  t.equal(json.exitCode, 1, 'the second module fails on purpose');
  const r = JSON.parse(json.stdout) as RunResult;
  t.same(
    r.steps.map((s) => s.id),
    ['wait-a', 'wait-b', 'after-both', 'group-fails', 'group-sibling', 'after-group'],
    'steps in lab order',
  );
  const a = byId(r, 'wait-a');
  const b = byId(r, 'wait-b');
  t.equal(a.status, 'pass');
  t.equal(b.status, 'pass');
  const [, aEnd, , bEnd] = ranTogether(t, a, b);
  t.ok(
    num(byId(r, 'after-both'), 'runStartedAt') >= Math.max(aEnd, bEnd),
    'the next, non-parallel step starts after both ended',
  );

  // A failure inside a group: the sibling finishes and passes; the module's later step is skipped.
  t.equal(byId(r, 'group-fails').status, 'fail');
  t.equal(byId(r, 'group-sibling').status, 'pass', 'the sibling of a failed step is not skipped');
  t.equal(byId(r, 'after-group').status, 'skip');
  t.equal(byId(r, 'after-group').reason, 'an earlier step of this module failed');
  t.equal(r.teardown?.status, 'pass', r.teardown?.reason);

  const tap = await podlab(['run', 'test/fixtures/run-labs/parallel']);
  t.equal(tap.exitCode, 1);
  const final = await parseTap(tap.stdout);
  t.equal(final.count, 3, 'two modules and the teardown');
  t.match(
    tap.stdout,
    /# Subtest: parallel\n {4}ok 1 - wait-a - [^\n]*\n {4}ok 2 - wait-b - [^\n]*\n {4}ok 3 - after-both - /,
    'TAP points of the parallel module in lab order',
  );
  t.match(
    tap.stdout,
    /# Subtest: parallel-failure\n {4}not ok 1 - group-fails - [^\n]*\n(?: {6}.*\n)+ {4}ok 2 - group-sibling - [^\n]*\n {4}ok 3 - after-group - [^\n]*# SKIP an earlier step of this module failed/,
  );
  t.match(tap.stdout, /ok 1 - teardown - teardown and leak audit/);
  // onStep (stderr progress) is called in lab order too.
  const progress = progressIds(tap.stderr);
  t.same(
    progress,
    ['wait-a', 'wait-b', 'after-both', 'group-fails', 'group-sibling', 'after-group', 'teardown'],
    'progress lines in lab order',
  );
  for (const out of [json.stdout, tap.stdout]) {
    const runId = runIdOf(out) ?? (JSON.parse(out) as RunResult).runId;
    t.same(await cluster.labelled(`podlab.dev/run=${runId}`), [], `nothing of run ${runId} remains`);
  }
});

t.test('a step with `after` starts once the steps it names have ended; a step without runs alone', async (t) => {
  const json = await podlab(['run', 'test/fixtures/run-labs/after', '--reporter', 'json']);
  t.equal(json.exitCode, 1, 'step `fails` fails on purpose');
  const r = JSON.parse(json.stdout) as RunResult;
  t.same(
    r.steps.map((s) => [s.id, s.status]),
    [
      ['start', 'pass'],
      ['slow', 'pass'],
      ['fails', 'fail'],
      ['measure', 'pass'],
      ['late', 'pass'],
      ['needs-fails', 'skip'],
    ],
    'every step in lab order, though `late` ran before `measure`',
  );
  const [start, slow, measure, late] = ['start', 'slow', 'measure', 'late'].map((id) => byId(r, id));
  const at = (s: StepResult) => [num(s, 'runStartedAt'), num(s, 'runEndedAt')] as const;
  t.ok(
    [start, slow, measure, late].flatMap((s) => at(s)).every(Number.isFinite),
    'start and end of every run are in the report',
  );
  t.ok(at(slow)[0] >= at(start)[1] && at(late)[0] >= at(start)[1], 'slow and late start after the step they name');
  const overlap = Math.min(at(slow)[1], at(late)[1]) - Math.max(at(slow)[0], at(late)[0]);
  t.ok(overlap >= 2500, `slow (3 s) and late (4 s, later in the lab than measure) ran together for ${overlap} ms`);
  t.ok(
    at(measure)[0] >= at(late)[1],
    `measure, which runs alone, waited for late to end too (${at(measure)[0]} >= ${at(late)[1]})`,
  );
  t.ok(at(measure)[0] >= at(slow)[1], 'and for slow, which comes before it');
  t.equal(
    byId(r, 'needs-fails').reason,
    'it runs after fails, which failed',
    'a step whose `after` failed is skipped, in another module too',
  );
  t.equal(r.teardown?.status, 'pass', r.teardown?.reason);
  t.same(await cluster.labelled(`podlab.dev/run=${r.runId}`), [], 'nothing of the run remains');

  const tap = await podlab(['run', 'test/fixtures/run-labs/after']);
  t.match(
    tap.stdout,
    /# Subtest: second\n {4}ok 1 - measure - [^\n]*\n {4}ok 2 - late - [^\n]*\n {4}ok 3 - needs-fails - [^\n]*# SKIP it runs after fails, which failed/,
    'TAP in lab order',
  );
  const progress = progressIds(tap.stderr);
  t.same(
    progress,
    ['start', 'slow', 'fails', 'measure', 'late', 'needs-fails', 'teardown'],
    'progress lines in lab order',
  );
  const runId = runIdOf(tap.stdout);
  t.ok(runId, 'the TAP names the run');
  t.same(await cluster.labelled(`podlab.dev/run=${runId}`), [], `nothing of run ${runId} remains`);
});

t.test('a step timeout kills a child that ignores SIGTERM (SIGKILL after the grace period)', async (t) => {
  const marker = `podlab-stuck-${process.pid}-${randomBytes(4).toString('hex')}`;
  const alive = async () => (await execa('pgrep', ['-f', marker], { reject: false })).stdout.trim();
  // Should the harness fail, do not leave its stragglers (found by the unique marker) behind: kill them by pid.
  t.teardown(async () => {
    for (const pid of (await alive()).split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
  t.equal(await alive(), '', 'no process carries the marker before the run');
  const started = Date.now();
  const r = await podlab(['run', 'test/fixtures/run-labs/stuck'], { PODLAB_TEST_MARKER: marker });
  const elapsed = Date.now() - started;
  t.equal(r.exitCode, 1, 'exit 1: a step failed');
  t.ok(elapsed < 120_000, `podlab ended in ${elapsed} ms, not after the 600 s sleep`);
  t.match(
    r.stdout,
    /not ok 1 - stuck - Hang in a child process\n\s+---\n\s+message: "timed out after 3s; killed 2 child processes \(1 command; 1 ignored SIGTERM and got SIGKILL after 2s\)"\n/,
    'the reason says it timed out and what was killed',
  );
  t.match(
    r.stdout,
    new RegExp(
      `killed processes:\\n\\s+- command: .*${marker}.*\\n\\s+pid: \\d+\\n\\s+processes: 2\\n\\s+signal: "SIGKILL"`,
    ),
    'the evidence names the command and SIGKILL',
  );
  t.match(r.stdout, /ok 2 - after-stuck - Never reached # SKIP an earlier step of this module failed/);
  t.match(r.stdout, /ok 1 - teardown - teardown and leak audit\n/, 'teardown still passes');
  t.equal(await alive(), '', `no process with ${marker} in its command line is alive`);
  t.same(await cluster.labelled(`podlab.dev/run=${runIdOf(r.stdout)}`), [], 'nothing of the run remains');
});
