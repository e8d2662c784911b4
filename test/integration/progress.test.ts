// The progress record on the embedded cluster: what a grader saw done stays done after the attendee cleans up
// and after the grader is killed; a recreated namespace starts from zero; an empty one earns no clean-up.
import t from 'tap';
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';
import type { GradeMatrix } from '../../harness/src/grade/matrix.js';
import { createNamespace } from '../../harness/src/runner/namespace.js';
import { POD_SANDBOXING_STEPS as PODS_STEPS } from '../helpers/labs.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const podlab = (...args: string[]) =>
  execa('node', [`${repo}bin/podlab.js`, ...args], { reject: false, env: { KUBECONFIG: EMBEDDED_KUBECONFIG } });
const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);
const ns = `progress-${process.pid}`;
const record = join(t.testdir(), 'progress.jsonl');

async function freshNamespace() {
  await cluster.deleteNamespace(ns, 120_000);
  await createNamespace(cluster, ns);
}

async function cells(...extra: string[]): Promise<Record<string, string>> {
  const r = await podlab('grade', 'pod-sandboxing', '--namespaces', ns, '--format', 'json', ...extra);
  if (r.exitCode !== 0) throw new Error(r.stderr);
  const row = (JSON.parse(r.stdout) as GradeMatrix).attendees[0]!;
  return Object.fromEntries(Object.entries(row.cells).map(([id, c]) => [id, c.status]));
}

/** A grader running with --watch and --record, and its live view: the row it last wrote to `out`, awaited `until`. */
function watchingGrader(out: string) {
  const args = ['grade', 'pod-sandboxing', '--namespaces', ns, '--record', record, '--watch', '--format', 'json'];
  const grader = execa('node', [`${repo}bin/podlab.js`, ...args, '--output', out], {
    reject: false,
    env: { KUBECONFIG: EMBEDDED_KUBECONFIG },
  });
  const live = (): GradeMatrix['attendees'][number] | undefined => {
    try {
      return (JSON.parse(readFileSync(out, 'utf8')) as GradeMatrix).attendees[0];
    } catch {
      return undefined; // not written yet, or being replaced
    }
  };
  const until = async (what: (row: NonNullable<ReturnType<typeof live>>) => boolean) => {
    for (let i = 0; i < 1800; i++) {
      const row = existsSync(out) ? live() : undefined;
      if (row && what(row)) return row;
      await new Promise((r) => setTimeout(r, 100));
    }
    return live();
  };
  return { grader, until };
}

t.before(freshNamespace);
t.teardown(() => cluster.deleteNamespace(ns, 120_000));

t.test('an empty namespace gets no clean-up credit', async (t) => {
  const c = await cells('--record', record);
  t.equal(c['cluster-ready'], 'done');
  t.equal(c['clean-up'], 'todo', 'no lab pods, but nothing was ever made to clean up');
});

t.test(
  'the whole lab done while a watching grader ran, then cleaned up, then the grader killed: a fresh grade gives full credit',
  async (t) => {
    const { grader, until } = watchingGrader(join(t.testdir(), 'live.json'));
    // Every step but the last, the attendee's way of getting there aside: the scenario API is the fast path.
    const solved = await podlab(
      'solve',
      'pod-sandboxing',
      '--via',
      'scenario',
      '--to',
      'privileged-guest',
      '--namespace',
      ns,
    );
    t.equal(solved.exitCode, 0, solved.stdout + solved.stderr);
    const beforeCleanUp = PODS_STEPS.filter((id) => id !== 'clean-up');
    const seen = await until((row) =>
      beforeCleanUp.every((id) => ['done', 'skip'].includes(row.cells[id]?.status ?? '')),
    );
    t.same(
      beforeCleanUp.filter((id) => !['done', 'skip'].includes(seen?.cells[id]?.status ?? '')),
      [],
      `the watching grader saw every step up to privileged-guest done: ${JSON.stringify(seen?.cells)}`,
    );
    // The attendee cleans up, as module 8 tells them to, and the grader sees that too.
    await cluster.core.deleteCollectionNamespacedPod({
      namespace: ns,
      labelSelector: 'app.kubernetes.io/part-of=pod-sandboxing',
      gracePeriodSeconds: 0,
    });
    const cleaned = await until((row) => row.cells['clean-up']?.status === 'done');
    t.equal(cleaned?.cells['clean-up']?.status, 'done', 'clean-up seen done');
    grader.kill('SIGKILL');
    await grader;
    const noRecord = await cells('--no-record');
    t.equal(noRecord['deploy-pods'], 'todo', 'the cluster alone no longer shows the pods');
    const json = JSON.parse(
      (await podlab('grade', 'pod-sandboxing', '--namespaces', ns, '--format', 'json', '--record', record)).stdout,
    ) as GradeMatrix;
    const row = json.attendees[0]!;
    t.equal(row.score, row.maxScore, `full credit from the record: ${JSON.stringify(row.cells)}`);
    t.ok(row.maxScore > 0);
    t.same(
      Object.entries(row.cells)
        .filter(([, c]) => c.status === 'earlier')
        .map(([id]) => id),
      beforeCleanUp.filter((id) => id !== 'cluster-ready' && row.cells[id]?.status !== 'skip'),
      'done earlier: every step whose pods are gone',
    );
    t.same(
      json.room?.steps.filter((s) => !s.done).map((s) => s.id),
      json.room?.steps.filter((s) => row.cells[s.id]?.status === 'skip').map((s) => s.id),
      'the room counts done now and done earlier alike',
    );
    const check = await podlab('check', 'pod-sandboxing', '--namespace', ns, '--record', record);
    t.match(check.stdout, /✓ deploy-pods[^\n]*\n\s+done earlier: first seen done \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    t.equal(check.exitCode, 0, 'check agrees: nothing left to do');
  },
);

t.test('a namespace recreated under the same name starts from zero', async (t) => {
  await freshNamespace();
  const c = await cells('--record', record);
  t.same([c['cluster-ready'], c['deploy-pods'], c['compare-kernels']], ['done', 'todo', 'todo']);
});

t.test('check --watch checks again when the namespace changes, as plain lines when not at a terminal', async (t) => {
  await freshNamespace();
  const watcher = execa(
    'node',
    [`${repo}bin/podlab.js`, 'check', 'pod-sandboxing', '--namespace', ns, '--watch', '--no-record'],
    {
      reject: false,
      forceKillAfterDelay: false,
      env: { KUBECONFIG: EMBEDDED_KUBECONFIG },
    },
  );
  let out = '';
  watcher.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const until = async (re: RegExp) => {
    for (let i = 0; i < 1200 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    return re.test(out);
  };
  t.ok(await until(/\n1\/12 done/), 'the first view: only cluster-ready');
  const solved = await podlab('solve', 'pod-sandboxing', '--to', 'deploy-pods', '--namespace', ns);
  t.equal(solved.exitCode, 0, solved.stdout + solved.stderr);
  t.ok(await until(/✓ deploy-pods[\s\S]*\n4\/12 done/), 'a new view once the pods run, without asking');
  watcher.kill('SIGINT');
  const r = await watcher;
  t.equal(r.exitCode, 0, r.stderr);
  t.notOk(out.includes('\u001b['), 'no cursor movement when stdout is not a terminal');
});
