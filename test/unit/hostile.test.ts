// The second, hostile half of the malformed corpus (issue 15): inputs an attacker or a careless user gives, each
// through the CLI with the exit code it must get and the file:line it must name, and never a stack trace. Here:
// paths that leave the lab's project (no code outside it runs), the scenario cache, and an interrupt while loading.
// Files a project may hold (FIFOs, huge, hanging, YAML bombs) are in hostile-files.test.ts.
import t from 'tap';
import { execa } from 'execa';
import { existsSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { applying, checkCases, front, make, ok, pod, podlab, repo, type Case } from '../helpers/hostile.js';

const base = t.testdir({});
const outside = join(base, 'outside');
const marker = (name: string) => join(outside, `${name}.ran`);
/** A scenario that leaves a mark when its code runs: none of the refused ones may run. */
const marking = (name: string) =>
  `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker(name))}, 'ran');\n${ok}`;

const cases: Case[] = [
  {
    name: 'scenario-dotdot',
    files: { 'labs/lab/01-m.md': `${front('../../x.ts')}\n## A {#a}\n` },
    code: 2,
    at: /^labs\/lab\/01-m\.md:4:1 error: .*outside the project root/m,
  },
  {
    name: 'scenario-absolute',
    files: { 'labs/lab/01-m.md': `${front(join(outside, 'absolute.ts'))}\n## A {#a}\n` },
    code: 2,
    at: /^labs\/lab\/01-m\.md:4:1 error: .*absolute path/m,
  },
  {
    name: 'scenario-symlink',
    files: {
      'labs/lab/01-m.md': `${front()}\n## A {#a}\n`,
      'scenarios/s.ts': { symlink: join(outside, 'symlink.ts') },
    },
    code: 2,
    at: /^labs\/lab\/01-m\.md:4:1 error: .*through a symlink/m,
  },
  {
    name: 'scenario-imports-outside',
    files: {
      'labs/lab/01-m.md': `${front()}\n## A {#a}\n`,
      'scenarios/s.ts': `import '../../outside/imported.ts';\n${ok}`,
    },
    code: 2,
    at: /^scenarios\/s\.ts:\d+:\d+ error: scenario cannot be compiled: .*outside the lab's project/m,
  },
  {
    name: 'manifest-symlink',
    files: {
      'labs/lab/01-m.md': applying('manifests/m.yaml'),
      'scenarios/s.ts': ok,
      'manifests/m.yaml': { symlink: join(outside, 'm.yaml') },
    },
    code: 2,
    at: /^labs\/lab\/01-m\.md:10:18 error: manifest manifests\/m\.yaml resolves through a symlink/m,
  },
  {
    name: 'manifest-dotdot',
    files: {
      'labs/lab/01-m.md': applying('manifests/../../outside/m.yaml'),
      'scenarios/s.ts': ok,
      'manifests/ok.yaml': pod,
    },
    code: 2,
    at: /^labs\/lab\/01-m\.md:10:18 error: .*points outside the project root/m,
  },
];

make(outside, {
  'absolute.ts': marking('absolute'),
  'symlink.ts': marking('symlink'),
  'x.ts': marking('x'),
  'imported.ts': marking('imported'),
  'm.yaml': pod,
});

t.test(
  'each path out of the project: its exit code, its file:line, no stack trace, no scenario code run',
  async (t) => {
    await checkCases(t, base, cases);
    t.same(
      readdirSync(outside).filter((f) => f.endsWith('.ran')),
      [],
      'no scenario outside a project ran',
    );
  },
);

const lab = { 'labs/lab/01-m.md': `${front()}\n## A {#a}\n`, 'scenarios/s.ts': ok };

t.test('the scenario cache: a tampered bundle is written again, not imported; old bundles are pruned', async (t) => {
  const dir = join(base, 'cached');
  const env = { XDG_CACHE_HOME: join(base, 'cache') };
  const bundles = join(base, 'cache', 'podlab', 'scenarios');
  make(dir, lab);
  make(bundles, { 'old-0123456789abcdef.mjs': 'export default 1;\n' });
  const monthAgo = new Date(Date.now() - 30 * 86_400_000);
  utimesSync(join(bundles, 'old-0123456789abcdef.mjs'), monthAgo, monthAgo);
  t.equal((await podlab(['lint', 'labs/lab'], dir, env)).exitCode, 0, 'the lab lints');
  const [bundle, ...more] = readdirSync(bundles);
  t.same(more, [], 'one bundle: the one unused for 30 days was pruned');
  const good = readFileSync(join(bundles, bundle!));
  const tampered = `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker('tampered'))}, 'ran');\nexport default { module: 'm', steps: [{ id: 'a', title: 'a', check() {} }] };\n`;
  for (const command of [
    ['lint', 'labs/lab'],
    ['check', 'labs/lab', '-n', 'nowhere', '--kubeconfig', 'missing.yaml'],
  ]) {
    writeFileSync(join(bundles, bundle!), tampered);
    const r = await podlab(command, dir, env);
    t.equal(r.exitCode, command[0] === 'lint' ? 0 : 3, `${command[0]} still works (exit ${r.exitCode})`);
    t.same(readFileSync(join(bundles, bundle!)), good, `${command[0]}: the bundle was written again`);
  }
  t.notOk(existsSync(marker('tampered')), 'the tampered bundle never ran');
});

t.test('run: SIGINT while a scenario loads ends podlab at once, with 130, and leaves no process', async (t) => {
  const dir = join(base, 'interrupted');
  const cacheHome = join(base, 'cache-interrupted');
  make(dir, { ...lab, 'scenarios/s.ts': `while (true) {}\n${ok}` });
  const running = () => execa('pgrep', ['-f', cacheHome], { reject: false }).then((r) => r.stdout.trim());
  const p = execa(process.execPath, [`${repo}bin/podlab.js`, 'run', 'labs/lab'], {
    reject: false,
    cwd: dir,
    env: { XDG_CACHE_HOME: cacheHome, PODLAB_SCENARIO_TIMEOUT: '120' },
  });
  for (let waited = 0; !(await running()) && waited < 30_000; waited += 100) await sleep(100);
  t.ok(await running(), 'the scenario is loading');
  const sent = Date.now();
  p.kill('SIGINT');
  const r = await p;
  t.ok(Date.now() - sent < 3000, `ended ${Date.now() - sent} ms after the signal`);
  t.equal(r.exitCode, 130, 'exit 130');
  t.match(r.stderr, /interrupted by SIGINT/);
  t.notMatch(r.stderr, /\n {4}at /, 'no stack trace');
  t.equal(await running(), '', 'the loading process was killed');
});
