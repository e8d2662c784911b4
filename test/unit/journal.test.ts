// The progress journal on its own (files only): first seen wins, appends from several graders, a record cut short.
import t from 'tap';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { Journal } from '../../harness/src/progress/journal.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const ana = { cluster: 'https://127.0.0.1:6443', namespace: 'attendee-ana', uid: 'uid-1' };

t.test('a step is recorded once, with its first time; a recreated namespace (new UID) starts fresh', async (t) => {
  const path = join(t.testdir(), 'progress.jsonl');
  const j = new Journal(path);
  t.equal(j.firstDone(ana, 'lab', 'deploy-pods'), undefined, 'no file yet: nothing done');
  t.same(
    j.record(ana, 'lab', [{ step: 'deploy-pods', evidence: { pods: 2 } }], new Date('2026-11-30T01:00:00Z')).length,
    1,
  );
  t.same(
    j.record(ana, 'lab', [{ step: 'deploy-pods' }], new Date('2026-11-30T02:00:00Z')),
    [],
    'seen done already: not recorded again',
  );
  const again = new Journal(path);
  t.equal(
    again.firstDone(ana, 'lab', 'deploy-pods')?.at,
    '2026-11-30T01:00:00.000Z',
    'another grader reads the first time',
  );
  t.same(again.firstDone(ana, 'lab', 'deploy-pods')?.evidence, { pods: 2 });
  t.equal(
    again.firstDone({ ...ana, uid: 'uid-2' }, 'lab', 'deploy-pods'),
    undefined,
    'the same name with a new UID is someone new',
  );
});

t.test('a record cut short by kill -9 is skipped, and the next append still lands on a line of its own', async (t) => {
  const path = join(t.testdir(), 'progress.jsonl');
  new Journal(path).record(ana, 'lab', [{ step: 'cluster-ready' }]);
  appendFileSync(
    path,
    '\n{"v":1,"cluster":"https://127.0.0.1:6443","namespace":"attendee-ana","uid":"uid-1","lab":"lab","st',
  );
  const next = new Journal(path);
  t.ok(next.firstDone(ana, 'lab', 'cluster-ready'), 'what was recorded before is still read');
  next.record(ana, 'lab', [{ step: 'deploy-pods' }]);
  const reader = new Journal(path);
  t.ok(reader.firstDone(ana, 'lab', 'deploy-pods'), 'the record after the torn one is read');
  t.equal(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{')).length,
    3,
    'three lines: two whole, one torn',
  );
});

t.test('graders appending at once lose nothing', async (t) => {
  const path = join(t.testdir(), 'progress.jsonl');
  // Separate processes, as separate graders are: each imports the compiled journal (npm test builds dist/ first).
  const writer = `import { Journal } from '${repo}dist/harness/src/progress/journal.js';
const j = new Journal(process.argv[2]);
for (let i = 0; i < 200; i++) j.record({ cluster: 'c', namespace: 'n' + process.argv[3], uid: 'u' + process.argv[3] }, 'lab', [{ step: 's' + i }]);`;
  const script = join(t.testdir(), 'writer.mjs');
  writeFileSync(script, writer);
  await Promise.all([1, 2, 3, 4].map((n) => execa(process.execPath, [script, path, String(n)])));
  const j = new Journal(path);
  let found = 0;
  for (const n of [1, 2, 3, 4])
    for (let i = 0; i < 200; i++)
      if (j.firstDone({ cluster: 'c', namespace: `n${n}`, uid: `u${n}` }, 'lab', `s${i}`)) found++;
  t.equal(found, 800, 'four writers × 200 records, every one readable');
});
