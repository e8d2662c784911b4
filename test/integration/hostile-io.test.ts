// Issue 23, class 5: results are never lost to an I/O error. Through the real CLI on the embedded cluster, an
// --output on a full disk (/dev/full), under a regular file or naming a folder, and a --record that cannot be
// appended to, each end with exit 3, one line saying what failed, where, and that the results are on stdout, and
// the results really there (rehearse too: run this file under the heavy lock). Lint's time limit is in
// hostile-lint.test.ts.
import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { front, make, ok, podlab } from '../helpers/hostile.js';

const env = { KUBECONFIG: EMBEDDED_KUBECONFIG };
const base = t.testdir();
// The smallest lab there is: one step whose check passes, no block to type.
make(base, { 'labs/lab/01-m.md': `${front()}\n## A {#a}\n\nNothing to type.\n`, 'scenarios/s.ts': ok });
const aFile = join(base, 'a-file');
writeFileSync(aFile, 'not a folder\n');
const aFolder = join(base, 'a-folder');
mkdirSync(aFolder);

/** Where --output or --record points, and the errno the write meets there. */
const unwritable = [
  { where: '/dev/full', code: 'ENOSPC' },
  { where: join(aFile, 'results'), code: 'ENOTDIR' },
  { where: aFolder, code: 'EISDIR' },
];

/** What every I/O failure must look like: exit 3, one line naming what and where, and no stack trace. */
function saysOnce(t: Test, r: { exitCode?: number; stderr: string }, failed: RegExp): void {
  t.equal(r.exitCode, 3, 'exit 3 (environment)');
  const lines = r.stderr.split('\n').filter((l) => failed.test(l));
  t.equal(lines.length, 1, `one line says it: ${r.stderr}`);
  t.notMatch(r.stderr, /^\s+at /m, 'no stack trace');
  t.notMatch(r.stderr, /Error:/, 'no bare error');
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const outputFailed = (what: string, where: string, code: string) =>
  new RegExp(`cannot write the ${what} to ${escape(where)} \\(${code}\\b.*\\): .*stdout`);

t.test('podlab run --output that cannot be written: the report is on stdout, exit 3', async (t) => {
  for (const { where, code } of unwritable) {
    const r = await podlab(['run', 'labs/lab', '--output', where], base, env);
    saysOnce(t, r, outputFailed('report', where, code));
    t.match(r.stdout, /^ok 1 - m$/m, `${code}: the TAP report is on stdout`);
    t.match(r.stdout, /^1\.\.2$/m, `${code}: the whole report, with its plan`);
  }
});

t.test('podlab run --report FORMAT=FILE that cannot be written: that report is on stdout too', async (t) => {
  const r = await podlab(
    ['run', 'labs/lab', '--report', `json=${aFolder}`, '--output', join(base, 'run.tap')],
    base,
    env,
  );
  saysOnce(t, r, outputFailed('json report', aFolder, 'EISDIR'));
  t.match(r.stdout, /"ok": true/, 'the JSON report is on stdout');
});

t.test('podlab grade --output that cannot be written: the grade is on stdout, exit 3', async (t) => {
  for (const { where, code } of unwritable) {
    const r = await podlab(
      ['grade', 'labs/lab', '--namespaces', 'default', '--format', 'json', '--output', where],
      base,
      env,
    );
    saysOnce(t, r, outputFailed('grade', where, code));
    const matrix = JSON.parse(r.stdout) as { attendees: Array<{ namespace?: string; cells: Record<string, unknown> }> };
    t.equal(matrix.attendees.length, 1, `${code}: the grade's matrix is on stdout`);
    t.ok(matrix.attendees[0]!.cells['a'], `${code}: with the step's cell`);
  }
});

t.test('a --record that cannot be appended to: the grade is printed, the record file named, exit 3', async (t) => {
  const where = join(aFile, 'progress.jsonl'); // ENOTDIR, met only when the grade appends what it saw
  const r = await podlab(['grade', 'labs/lab', '--namespaces', 'default', '--record', where], base, env);
  saysOnce(t, r, new RegExp(`cannot append to the progress record ${escape(where)} \\(ENOTDIR\\)`));
  t.match(r.stdout, /^default\s+✓\s+1\/1$/m, "the grade's table is on stdout");
});

t.test('a --record that is a device or a folder is refused before grading (exit 2, naming it)', async (t) => {
  for (const where of ['/dev/full', aFolder]) {
    const r = await podlab(['grade', 'labs/lab', '--namespaces', 'default', '--record', where], base, env);
    t.equal(r.exitCode, 2, `${where}: usage`);
    t.match(r.stderr, new RegExp(`progress record ${escape(where)} is not a regular file`));
    t.equal(r.stdout, '', 'nothing graded');
  }
});

t.test('podlab check with a --record that cannot be appended to: progress shown, exit 3', async (t) => {
  const where = join(aFile, 'check.jsonl');
  const r = await podlab(['check', 'labs/lab', '-n', 'default', '--record', where], base, env);
  saysOnce(t, r, new RegExp(`cannot append to the progress record ${escape(where)} \\(ENOTDIR\\)`));
  t.match(r.stdout + r.stderr, /\ba\b/, 'the step is shown');
});

t.test('podlab check --watch with a --record that cannot be appended to: said at the first pass, exit 3', async (t) => {
  const where = join(aFile, 'watch.jsonl');
  const watch = podlab(['check', 'labs/lab', '-n', 'default', '--watch', '--record', where], base, env);
  let seen = '';
  await new Promise<void>((resolve) => {
    watch.stderr?.on('data', (d: Buffer) => (seen += d.toString()).includes('progress record') && resolve());
    void watch.then(() => resolve());
  });
  t.match(seen, /cannot append to the progress record/, 'said while watching, not only at Ctrl-C');
  watch.kill('SIGINT');
  const r = await watch;
  saysOnce(t, r, new RegExp(`cannot append to the progress record ${escape(where)} \\(ENOTDIR\\)`));
});

// rehearse holds a room up and down (about 11 s for this lab): run this file under the heavy lock.
t.test('podlab rehearse --output that cannot be written: the report is on stdout, exit 3', async (t) => {
  const r = await podlab(['rehearse', 'labs/lab', '--attendees', '1', '--output', '/dev/full'], base, env);
  saysOnce(t, r, outputFailed('report', '/dev/full', 'ENOSPC'));
  t.match(r.stdout, /^1\.\.\d+$/m, 'the TAP report is on stdout, with its plan');
});

/** A real full filesystem: a 256 KiB tmpfs mounted in the test's folder and filled to its last page; unmounted after. */
function fullFilesystem(t: Test): string {
  const dir = join(base, 'full');
  mkdirSync(dir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir]);
  t.teardown(() => execFileSync('umount', [dir]));
  const fd = openSync(join(dir, 'filler'), 'w');
  try {
    for (;;) writeSync(fd, Buffer.alloc(4096));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return dir;
}

// /dev/full above fails every write with ENOSPC; a full disk lets a file be created and fails its first write.
const notRoot = process.getuid?.() !== 0 && 'mounting a tmpfs needs root (CI runs as root): /dev/full above stands in';
t.test(
  'a really full filesystem: --output and --record in it say ENOSPC once, exit 3',
  { skip: notRoot },
  async (t) => {
    const full = fullFilesystem(t);
    const report = join(full, 'run.tap');
    const run = await podlab(['run', 'labs/lab', '--output', report], base, env);
    saysOnce(t, run, outputFailed('report', report, 'ENOSPC'));
    t.match(run.stdout, /^ok 1 - m$/m, 'run: the TAP report is on stdout');
    const grade = join(full, 'grade.json');
    const graded = await podlab(
      ['grade', 'labs/lab', '--namespaces', 'default', '--format', 'json', '--output', grade],
      base,
      env,
    );
    saysOnce(t, graded, outputFailed('grade', grade, 'ENOSPC'));
    t.equal((JSON.parse(graded.stdout) as { attendees: unknown[] }).attendees.length, 1, 'grade: the matrix on stdout');
    const record = join(full, 'progress.jsonl');
    const recorded = await podlab(['grade', 'labs/lab', '--namespaces', 'default', '--record', record], base, env);
    saysOnce(t, recorded, new RegExp(`cannot append to the progress record ${escape(record)} \\(ENOSPC\\)`));
    t.match(recorded.stdout, /^default\s+✓\s+1\/1$/m, "grade --record: the grade's table is on stdout");
    const checked = await podlab(['check', 'labs/lab', '-n', 'default', '--record', record], base, env);
    saysOnce(t, checked, new RegExp(`cannot append to the progress record ${escape(record)} \\(ENOSPC\\)`));
  },
);
