// `podlab/no-unused-exports` (scripts/eslint-unused-exports.mjs): ESLint reports an export nothing imports, at its
// line, and stays quiet about one that is imported. Run on a two-file project of its own, so podlab's own sources
// cannot make the test pass or fail.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import podlab from '../../scripts/eslint-unused-exports.mjs';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'podlab-unused-exports-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'p', type: 'module', private: true }));
  writeFileSync(join(dir, 'knip.json'), JSON.stringify({ entry: ['main.ts'], project: ['*.ts'] }));
  writeFileSync(join(dir, 'main.ts'), "import { used } from './lib.js';\nconsole.log(used);\n");
  writeFileSync(
    join(dir, 'lib.ts'),
    'export const used = 1;\n\nexport function forgotten(): number {\n  return 2;\n}\n',
  );
  return dir;
}

t.test('an export nothing imports is an ESLint error at its line; an imported one is not', async (t) => {
  const dir = project();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
      { files: ['**/*.ts'], plugins: { podlab }, rules: { 'podlab/no-unused-exports': 'error' } },
    ],
  });
  const results = await eslint.lintFiles(['lib.ts', 'main.ts']);
  const messages = results.flatMap((r) => r.messages.map((m) => ({ file: r.filePath, ...m })));
  t.same(
    messages.map((m) => [m.file, m.line, m.column, m.ruleId]),
    [[join(dir, 'lib.ts'), 3, 17, 'podlab/no-unused-exports']],
    'one error: forgotten, at line 3, column 17',
  );
  t.match(messages[0]?.message, /'forgotten' is exported but nothing imports it/);
});
