// A generated corpus of malformed labs: each one is refused with file:line:col, never a crash.
import t from 'tap';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintPaths } from '../../harness/src/lint/lint.js';

import { corpus } from '../helpers/malformed-corpus.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));

const cases = corpus();
const root = t.testdir(Object.fromEntries(cases.map((c) => [c.name, {}])));
for (const c of cases) {
  const dir = join(root, c.name);
  mkdirSync(join(dir, 'labs', 'lab'), { recursive: true });
  mkdirSync(join(dir, 'scenarios'), { recursive: true });
  writeFileSync(join(dir, 'labs', 'lab', '01-m.md'), c.module);
  if (c.scenario !== undefined) writeFileSync(join(dir, 'scenarios', 's.ts'), c.scenario);
}

t.ok(cases.length >= 100, `the corpus has ${cases.length} malformed labs`);

t.test('every malformed lab gets at least one error with a position in a named file', async (t) => {
  for (const c of cases) {
    const dir = join(root, c.name);
    const found = await lintPaths([join(dir, 'labs', 'lab')], { root: dir });
    const errors = found.filter((d) => d.severity === 'error');
    t.ok(errors.length > 0, `${c.name} is refused`);
    t.ok(
      errors.every((d) => d.pos.file.startsWith(dir) && d.pos.line >= 1 && d.pos.col >= 1 && d.message.length > 0),
      `${c.name}: positions and messages`,
    );
  }
});

t.test('through the CLI: exit 2, file:line:col lines, no stack trace', async (t) => {
  for (const name of [
    'broken-yaml-0',
    'binary-junk-3',
    'huge-0',
    'bad-scenario-2',
    'bad-scenario-3',
    'unclosed-fence-1',
  ]) {
    const r = await execa(process.execPath, [`${repo}bin/podlab.js`, 'lint', join(root, name, 'labs', 'lab')], {
      reject: false,
      cwd: join(root, name),
    });
    t.equal(r.exitCode, 2, `${name} exits 2`);
    t.match(r.stderr, /^\S+:\d+:\d+ error: /m, `${name} prints file:line:col`);
    t.notMatch(r.stderr, /\n\s+at \S+ \(/, `${name} prints no stack trace`);
  }
});
