// Scenarios are compiled by esbuild at load time: positions must still be the scenario's own, packages must
// resolve from the scenario's folder, import.meta.url must name the scenario, and an edit must take effect.
import t from 'tap';
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout } from 'node:timers/promises';
import { loadScenario, loadScenarios } from '../../harness/src/loader/load.js';

const define = join(process.cwd(), 'harness/src/scenario/define.js');
const good = (module: string, extra = '', title = "'A'") =>
  `import { defineScenario, step } from '${define}';\n${extra}\nexport default defineScenario('${module}', [step({ id: 'a', title: ${title}, run: async () => {}, check: async () => ({ status: 'pass' as const, expected: 'x', actual: 'x' }) })]);\n`;

// Inside the checkout, so that packages resolve from node_modules as they would for a lab's scenarios.
const dir = t.testdir({
  'good.ts': good('good'),
  'meta.ts': good(
    'meta',
    "import { $ } from 'zx';\nimport { readFileSync } from 'node:fs';\nconst seen = { url: import.meta.url, zx: typeof $, fs: typeof readFileSync };",
    'JSON.stringify(seen)',
  ),
  'syntax.ts': 'const a = 1;\nconst b = 2;\nthis is not typescript (\n',
  'throws.ts': `import { defineScenario } from '${define}';\n\n\nthrow new Error('boom at load');\nexport default defineScenario('x', []);\n`,
  'missing-package.ts': "import nope from 'no-such-package-anywhere';\nexport default nope;\n",
});

t.test('a good scenario loads', async (t) => {
  const { scenario, diagnostics } = await loadScenario(join(dir, 'good.ts'));
  t.same(diagnostics, []);
  t.equal(scenario?.module, 'good');
  t.equal(scenario?.steps[0]?.id, 'a');
});

t.test('import.meta.url names the scenario itself; packages and builtins resolve', async (t) => {
  const file = join(dir, 'meta.ts');
  const { scenario, diagnostics } = await loadScenario(file);
  t.same(diagnostics, []);
  t.same(JSON.parse(scenario?.steps[0]?.title ?? '{}'), {
    url: pathToFileURL(file).href,
    zx: 'function',
    fs: 'function',
  });
});

t.test('a syntax error is reported at its line and column', async (t) => {
  const { scenario, diagnostics } = await loadScenario(join(dir, 'syntax.ts'));
  t.equal(scenario, undefined);
  t.equal(diagnostics.length, 1);
  t.match(diagnostics[0], {
    pos: { file: join(dir, 'syntax.ts'), line: 3, col: 6 },
    message: /^scenario cannot be compiled: Expected ";" but found "is"/,
  });
});

t.test('an error thrown while loading points at the throwing line of the scenario', async (t) => {
  const { diagnostics } = await loadScenario(join(dir, 'throws.ts'));
  t.match(diagnostics[0], {
    pos: { file: join(dir, 'throws.ts'), line: 4 },
    message: 'scenario cannot be loaded: boom at load',
  });
});

t.test('a package that does not resolve is reported at its import', async (t) => {
  const { diagnostics } = await loadScenario(join(dir, 'missing-package.ts'));
  t.match(diagnostics[0], {
    pos: { file: join(dir, 'missing-package.ts'), line: 1, col: 18 },
    message: /Could not resolve "no-such-package-anywhere"/,
  });
});

t.test('several load side by side, and no compiler process is left running afterwards', async (t) => {
  const files = ['good.ts', 'meta.ts', 'syntax.ts'].map((f) => join(dir, f));
  const loaded = await loadScenarios(files);
  t.same([...loaded.keys()], files);
  t.equal(loaded.get(files[1]!)?.scenario?.module, 'meta');
  // Stopping signals the service; it is gone (exited and reaped) once the event loop has seen it exit.
  const compilers = () =>
    execSync(`ps --ppid ${process.pid} -o comm=`)
      .toString()
      .split('\n')
      .filter((c) => c.trim() === 'esbuild');
  for (let waited = 0; compilers().length && waited < 10_000; waited += 50) await setTimeout(50);
  t.same(compilers(), [], 'the esbuild service was stopped and reaped');
});

t.test('an edited scenario is compiled again, not served stale', async (t) => {
  const file = join(dir, 'edited.ts');
  writeFileSync(file, good('first'));
  // A fresh process per load: within one process a file is loaded once, as a run needs.
  const loader = pathToFileURL(join(process.cwd(), 'dist/harness/src/loader/load.js')).href;
  const load = () =>
    execSync(
      `node -e "import('${loader}').then(async (m) => console.log((await m.loadScenario('${file}')).scenario.module))"`,
    )
      .toString()
      .trim();
  t.equal(load(), 'first');
  writeFileSync(file, good('second'));
  t.equal(load(), 'second');
});
