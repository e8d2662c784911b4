// Hostile lines in the progress record: a record is a file others can write (a shared folder, a restored backup),
// so a line of the wrong type is skipped and counted, never a crash, and a record that cannot be written never
// stops a grade.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../../harness/src/progress/journal.js';

const base = t.testdir({});

t.test('a progress record with lines of the wrong type: skipped and counted, the good ones kept', async (t) => {
  const file = join(base, 'typed.jsonl');
  const good = { v: 1, cluster: 'c', namespace: 'n', uid: 'u', lab: 'l', step: 'a', at: '2026-12-05T09:00:00.000Z' };
  const bad = [
    { ...good, step: 'b', at: 12345 },
    { ...good, step: 'c', uid: ['u'] },
    { ...good, step: 'd', lab: null },
    { ...good, step: 'e', at: 'yesterday' },
    { ...good, step: 'f', skipped: { why: 1 } },
    'not json',
    '[1,2]',
    'null',
  ];
  writeFileSync(
    file,
    ['', JSON.stringify(good), ...bad.map((b) => (typeof b === 'string' ? b : JSON.stringify(b))), ''].join('\n'),
  );
  const j = new Journal(file).check();
  const who = { cluster: 'c', namespace: 'n', uid: 'u' };
  t.equal(j.firstDone(who, 'l', 'a')?.at, good.at, 'the good line is read');
  for (const step of ['b', 'c', 'd', 'e', 'f']) t.equal(j.firstDone(who, 'l', step), undefined, `${step} is skipped`);
  t.equal(j.badLines, bad.length, 'every bad line is counted');
});

t.test('an append to the record that fails: the grade goes on, and says why', async (t) => {
  writeFileSync(join(base, 'a-file'), '');
  const j = new Journal(join(base, 'a-file', 'progress.jsonl')); // its folder is a file
  t.same(j.record({ cluster: 'c', namespace: 'n', uid: 'u' }, 'l', [{ step: 'a' }]), [], 'nothing recorded');
  t.equal(j.writeFailed, 'ENOTDIR', 'the reason is kept for the one line the command prints');
});
