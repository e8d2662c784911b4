// The import rule of harness/src holds (scripts/layers.mjs, .dependency-cruiser.mjs), and docs/architecture.md says
// what the code does: its generated part matches the imports, and every file it cites exists.
import t from 'tap';
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cruise } from 'dependency-cruiser';
import config from '../../.dependency-cruiser.mjs';
import { LAYERS } from '../../scripts/layers.mjs';
import { DOC, generated, missingCitations, withGenerated } from '../../scripts/arch-doc.mjs';

t.test('every folder of harness/src has its place in the layer list', async (t) => {
  const folders = readdirSync('harness/src', { withFileTypes: true }).filter((e) => e.isDirectory());
  const layers = new Set(LAYERS.map(([name]) => name));
  t.same(
    folders.map((e) => e.name).filter((name) => !layers.has(name)),
    [],
    'a new folder goes into scripts/layers.mjs, above what it imports',
  );
});

t.test('the rule refuses an upward import and a cycle, type-only ones too', async (t) => {
  const dir = t.testdir();
  const file = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  file('harness/src/k8s/client.ts', "import type { R } from '../report/model.js';\nexport type K = R;\n");
  file('harness/src/report/model.ts', 'export type R = string;\n');
  file('harness/src/runner/a.ts', "import type { B } from './b.js';\nexport type A = B;\n");
  file('harness/src/runner/b.ts', "import type { A } from './a.js';\nexport type B = A | 1;\n");
  file('harness/src/cli/main.ts', "import type { A } from '../runner/a.js';\nexport type M = A;\n");
  const { output } = await cruise(['harness/src'], {
    ...config.options,
    tsConfig: undefined,
    baseDir: dir,
    ruleSet: { forbidden: config.forbidden },
    validate: true,
  });
  const seen = output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
  t.same(seen, [
    'no-cycle: harness/src/runner/a.ts → harness/src/runner/b.ts',
    'no-upward-from-k8s: harness/src/k8s/client.ts → harness/src/report/model.ts',
  ]);
});

t.test('docs/architecture.md: the generated part is what the code imports today', async (t) => {
  const text = readFileSync(DOC, 'utf8');
  t.equal(text, withGenerated(text, await generated()), 'the doc differs from the code: run `npm run docs:arch`');
});

t.test('docs/architecture.md cites only files that exist', async (t) => {
  t.same(missingCitations(readFileSync(DOC, 'utf8')), []);
  t.same(
    missingCitations('see `runner/gone.ts` and `harness/src/k8s/cluster.ts`'),
    ['runner/gone.ts'],
    'a missing file is found',
  );
});
