import t from 'tap';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { execa } from 'execa';
import { lintPaths, formatDiagnostic } from '../../harness/src/lint/lint.js';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';

const root = fileURLToPath(new URL('../fixtures/lint-root', import.meta.url));
const repo = fileURLToPath(new URL('../..', import.meta.url));

t.test('a paired lab lints clean', async (t) => {
  t.same(await lintPaths([`${root}/labs/good`], { root }), []);
});

t.test('unpaired steps and missing manifests are found on both sides', async (t) => {
  const found = (await lintPaths([`${root}/labs/broken`], { root }))
    .map((d) => `${relative(root, d.pos.file)}:${d.pos.line}:${d.pos.col} ${d.message}`)
    .sort();
  t.same(
    found,
    [
      'labs/broken/01-pairing.md:10:18 manifest manifests/missing.yaml does not exist',
      'labs/broken/01-pairing.md:7:20 step `only-in-lab` has no scenario step in scenarios/broken/pairing.ts',
      'scenarios/broken/pairing.ts:1:1 scenario step `only-in-scenario` has no step in ' +
        relative(process.cwd(), `${root}/labs/broken/01-pairing.md`),
    ].sort(),
  );
});

t.test('formatDiagnostic prints file:line:col, the message and what to do', async (t) => {
  t.equal(
    formatDiagnostic({
      pos: { file: `${process.cwd()}/a.md`, line: 3, col: 7 },
      message: 'bad',
      hint: 'fix it',
      severity: 'error',
    }),
    'a.md:3:7 error: bad (fix it)',
  );
});

t.test('the repository labs lint clean through the CLI (exit 0)', async (t) => {
  const r = await execa('node', [`${repo}/bin/podlab.js`, 'lint', `${repo}/labs`], { reject: false });
  t.equal(r.exitCode, 0, r.stderr);
});

t.test('a bad lab exits 2 with file:line:col lines and no stack trace', async (t) => {
  const dir = t.testdir({
    'bad.md': '---\ntitle: Bad\nid: bad\nsidebar_positon: 1\n---\n\n## S {#s}\n\n```bash\nkubectl get pods\n',
  });
  const r = await execa('node', [`${repo}/bin/podlab.js`, 'lint', `${dir}/bad.md`], { reject: false });
  t.equal(r.exitCode, 2);
  t.match(r.stderr, /bad\.md:4:1 error: unknown front matter key `sidebar_positon`/);
  t.match(r.stderr, /bad\.md:9:1 error: code fence opened here is never closed/);
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

t.test('`after` may name only earlier steps of the lab, and not together with `parallel`', async (t) => {
  const define = `${repo}harness/src/scenario/define.js`;
  const stepText = (id: string, extra: string) =>
    `  step({ id: '${id}', title: '${id}', ${extra}run: async () => {}, check: async () => ({ status: 'pass' as const }) }),\n`;
  const dir = t.testdir({
    labs: {
      order: {
        '01-one.md':
          '---\ntitle: One\nid: one\nscenario: scenarios/one.ts\n---\n\n## First {#first}\n\n## Second {#second}\n',
        '02-two.md':
          '---\ntitle: Two\nid: two\nscenario: scenarios/two.ts\n---\n\n## Third {#third}\n\n## Fourth {#fourth}\n',
      },
    },
    scenarios: {
      'one.ts':
        `import { defineScenario, step } from '${define}';\nexport default defineScenario('one', [\n` +
        stepText('first', '') +
        stepText('second', "after: ['third'], ") +
        ']);\n',
      'two.ts':
        `import { defineScenario, step } from '${define}';\nexport default defineScenario('two', [\n` +
        stepText('third', "after: ['first', 'nowhere'], ") +
        stepText('fourth', "after: ['fourth', 'first'], parallel: true, ") +
        ']);\n',
    },
  });
  const found = (await lintPaths([`${dir}/labs/order`], { root: dir })).map(
    (d) => `${relative(dir, d.pos.file)}:${d.pos.line} ${d.message}`,
  );
  t.same(found, [
    'scenarios/one.ts:4 step `second` runs after `third`, which comes later in the lab',
    'scenarios/two.ts:3 step `third` runs after `nowhere`, which is no step of this lab',
    'scenarios/two.ts:4 step `fourth` has both `after` and `parallel`',
    'scenarios/two.ts:4 step `fourth` runs after itself',
  ]);
  // podlab run refuses the lab before it asks the cluster anything: exit 2 and the scenario's file:line.
  const r = await execa(
    'node',
    [`${repo}bin/podlab.js`, 'run', `${dir}/labs/order`, '--kubeconfig', EMBEDDED_KUBECONFIG],
    { reject: false, cwd: dir },
  );
  t.equal(r.exitCode, 2, r.stderr);
  t.match(r.stderr, /scenarios\/one\.ts:4:1 error: step `second` runs after `third`, which comes later in the lab/);
  t.match(
    r.stderr,
    /scenarios\/two\.ts:4:1 error: step `fourth` runs after itself/,
    'run reports every problem, as lint does',
  );
});
