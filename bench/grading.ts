// Grading a room: a few hundred attendee namespaces (some solved part-way), graded by podlab with and without the
// progress record, in turns, beside the kubectl + bash script that reads the same; the room is deleted after,
// on Ctrl-C too.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import pLimit from 'p-limit';
import { defaultServiceAccount } from '../harness/src/runner/namespace.js';
import { median, type Row } from './table.js';
import { attendees, cluster, env, log, podlabBin, root, solvedCount, timed, work } from './setup.js';

const GRADE_PASSES = 7;
let roomToDelete: string[] = [];

async function deleteRoom(names: string[]): Promise<void> {
  log(`deleting the ${names.length} attendee namespaces`);
  const limit = pLimit(16);
  await Promise.all(names.map((name) => limit(() => cluster.deleteNamespace(name, 300_000).catch(() => undefined))));
  roomToDelete = [];
}

// Ctrl-C in the middle: the podlab and baseline runs clean up after themselves (they get the signal too);
// the room of namespaces is the bench's own to delete.
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    log(`${sig}: cleaning up`);
    void deleteRoom(roomToDelete).finally(() => {
      rmSync(work, { recursive: true, force: true });
      process.exit(130);
    });
  });
}

/** The attendees' namespaces, labelled for the selector; the first few solved up to compare-kernels. */
async function makeRoom(id: string, names: string[]): Promise<void> {
  const limit = pLimit(16);
  log(`creating ${attendees} attendee namespaces, ${solvedCount} of them solved up to compare-kernels`);
  await Promise.all(
    names.map((name) =>
      limit(() => cluster.core.createNamespace({ body: { metadata: { name, labels: { 'podlab-bench': id } } } })),
    ),
  );
  for (const name of names.slice(0, solvedCount)) {
    await defaultServiceAccount(cluster, name);
    const r = await execa(
      'node',
      [podlabBin, 'solve', 'pod-sandboxing', '--to', 'compare-kernels', '--namespace', name],
      {
        cwd: root,
        env,
        reject: false,
      },
    );
    if (r.exitCode !== 0) throw new Error(`podlab solve failed in ${name}:\n${r.stdout}${r.stderr}`);
  }
}

type Pass = { wallMs: number; calls: string; graded: number };

/**
 * podlab grade over the room with the progress record (a fresh file, so the first pass writes every step seen
 * done) and without it, in turn: the record must not make grading a room cost much more. A whole command of
 * about a second moves by a few tenths with the machine: seven of each.
 */
async function gradePasses(selector: string): Promise<Record<'record' | 'none', Pass[]>> {
  const record = join(work, 'progress.jsonl');
  const runs: Record<'record' | 'none', Pass[]> = { record: [], none: [] };
  for (let i = 0; i < 2 * GRADE_PASSES; i++) {
    const mode = i % 2 === 0 ? 'record' : 'none';
    const t = await timed([
      'node',
      podlabBin,
      'grade',
      'pod-sandboxing',
      '--namespaces',
      selector,
      '--format',
      'json',
      ...(mode === 'record' ? ['--record', record] : ['--no-record']),
    ]);
    if (t.r.exitCode !== 0) throw new Error(`podlab grade failed (exit ${t.r.exitCode}): ${t.r.stderr}`);
    const m = JSON.parse(t.r.stdout) as { attendees: Array<{ cells: Record<string, { status: string }> }> };
    const calls = /(\d+ API calls \(.*\))/.exec(t.r.stderr)?.[1] ?? '?';
    runs[mode].push({
      wallMs: t.wallMs,
      calls,
      graded: m.attendees.length * Object.keys(m.attendees[0]?.cells ?? {}).length,
    });
    log(
      `podlab grade (${mode === 'record' ? 'with the record' : '--no-record'}): ${(t.wallMs / 1000).toFixed(2)} s, ${calls}`,
    );
  }
  return runs;
}

/** The kubectl + bash script reading the same room: its wall time. */
async function baseline(selector: string): Promise<number> {
  const b = await timed(['bash', 'bench/baseline/grade.sh', selector]);
  if (b.r.exitCode !== 0) throw new Error(`the kubectl + bash grading baseline failed: ${b.r.stderr}`);
  const baselineKubectl = b.r.stdout.trim().split('\n').length;
  log(`kubectl + bash grading: ${(b.wallMs / 1000).toFixed(1)} s for ${baselineKubectl} namespaces`);
  return b.wallMs;
}

export async function grading(): Promise<Row[]> {
  const id = `bench-${Date.now().toString(36)}`;
  const selector = `podlab-bench=${id}`;
  const names = Array.from({ length: attendees }, (_, i) => `${id}-${String(i).padStart(3, '0')}`);
  roomToDelete = names;
  try {
    await makeRoom(id, names);
    const runs = await gradePasses(selector);
    const baselineMs = await baseline(selector);
    const wall = median(runs.record.map((r) => r.wallMs));
    const bare = median(runs.none.map((r) => r.wallMs));
    const first = runs.record[0]!;
    return [
      {
        what: `grade ${attendees} namespaces × all checks, progress record on (${first.graded} cells; whole command, median of ${GRADE_PASSES})`,
        podlab: `${(wall / 1000).toFixed(2)} s; ${first.calls}`,
        baseline: `${(baselineMs / 1000).toFixed(1)} s`,
        ratio: wall / baselineMs,
        target: '≤ 2 s',
        met: wall <= 2_000,
      },
      {
        what: `the same with the progress record beside \`--no-record\` (median of ${GRADE_PASSES} each)`,
        podlab: `${(wall / 1000).toFixed(2)} s`,
        baseline: `${(bare / 1000).toFixed(2)} s (podlab --no-record)`,
        ratio: wall / bare,
        target: '≤ 1.2×',
        met: wall / bare <= 1.2,
      },
    ];
  } finally {
    await deleteRoom(names);
  }
}
