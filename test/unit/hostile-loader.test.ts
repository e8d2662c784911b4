// The hostile corpus, code that runs while podlab loads a scenario (issue 23, class 2; class 7's kill -9): a
// scenario that forges the loader's report on fd 3, imports a computed path outside the project, writes a file or
// starts a detached daemon from its top level, and a podlab killed with SIGKILL while a scenario loops. Each
// through the CLI: its exit code, what it names, how soon it ended, nothing of the scenario's run, no process left.
import t from 'tap';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkCases, front, make, ok, repo, type Case } from '../helpers/hostile.js';

const base = t.testdir({});
const outside = join(base, 'outside');
const marker = (name: string) => join(outside, `${name}.ran`);
const module = `${front()}\n## A {#a}\n`;
const shape = JSON.stringify({ module: 'm', steps: [{ id: 'a', title: 'a', check: { '\u0000function': 'check' } }] });
/** What the loader's child reported before it had a nonce: a scenario writes it on fd 3 itself. */
const forged =
  "import { writeSync } from 'node:fs';\n" +
  `writeSync(3, [{ i: 0, started: true }, { i: 0, shape: ${JSON.stringify(shape)} }, { done: true }].map((m) => JSON.stringify(m) + '\\n').join(''));\n`;
const daemon = 'podlab-hostile-daemon 4242.5';

make(outside, {
  'o.mjs': `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker('import'))}, 'ran');\n`,
});

const cases: Case[] = [
  {
    name: 'forged-report-then-loop',
    files: { 'labs/lab/01-m.md': module, 'scenarios/s.ts': `${forged}while (true) {}\n${ok}` },
    env: { PODLAB_SCENARIO_TIMEOUT: '2' },
    code: 2,
    at: /^scenarios\/s\.ts:1:1 error: scenario did not finish loading within 2 s/m,
    withinMs: 15_000,
  },
  {
    name: 'forged-report-then-exit',
    files: { 'labs/lab/01-m.md': module, 'scenarios/s.ts': `${forged}process.exit(0);\n${ok}` },
    code: 2,
    at: /^scenarios\/s\.ts:1:1 error: scenario ended the process while loading/m,
    withinMs: 15_000,
  },
  {
    name: 'forged-report-check',
    files: { 'labs/lab/01-m.md': module, 'scenarios/s.ts': `${forged}while (true) {}\n${ok}` },
    args: ['check', 'labs/lab', '-n', 'hostile-nowhere', '--kubeconfig', 'missing.yaml'],
    env: { PODLAB_SCENARIO_TIMEOUT: '2' },
    code: 2,
    at: /^scenarios\/s\.ts:1:1 error: scenario did not finish loading within 2 s/m,
    withinMs: 15_000,
  },
  {
    name: 'computed-import-outside',
    files: {
      'labs/lab/01-m.md': module,
      'scenarios/s.ts': `const at = [${JSON.stringify(outside)}, 'o.mjs'].join('/');\nawait import(at);\n${ok}`,
    },
    code: 2,
    at: /^scenarios\/s\.ts:\d+:\d+ error: scenario cannot be loaded: its top-level code was refused FileSystemRead of .*o\.mjs/m,
  },
  {
    name: 'top-level-write',
    files: {
      'labs/lab/01-m.md': module,
      'scenarios/s.ts': `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker('write'))}, 'ran');\n${ok}`,
    },
    code: 2,
    at: /^scenarios\/s\.ts:2:\d+ error: scenario cannot be loaded: its top-level code was refused FileSystemWrite/m,
  },
  {
    name: 'setsid-daemon',
    files: {
      'labs/lab/01-m.md': module,
      'scenarios/s.ts':
        "import { spawn } from 'node:child_process';\n" +
        `spawn('setsid', ['bash', '-c', 'exec -a "$0" sleep 600', ${JSON.stringify(daemon)}], { detached: true, stdio: 'ignore' }).unref();\n${ok}`,
    },
    code: 2,
    at: /^scenarios\/s\.ts:2:\d+ error: scenario cannot be loaded: its top-level code was refused ChildProcess/m,
  },
];

const running = (pattern: string) => execa('pgrep', ['-f', pattern], { reject: false }).then((r) => r.stdout.trim());

t.test('lint and check of scenarios that reach past loading: refused, reported, nothing left', async (t) => {
  await checkCases(t, base, cases);
  t.notOk(existsSync(marker('import')), 'the module imported by a computed path never ran');
  t.notOk(existsSync(marker('write')), 'the top level wrote nothing');
  await sleep(500);
  t.equal(await running(daemon), '', 'no detached daemon is left running');
});

t.test('kill -9 of podlab while a scenario loops: the loading child ends too', async (t) => {
  const dir = join(base, 'killed');
  const cacheHome = join(base, 'cache-killed');
  make(dir, { 'labs/lab/01-m.md': module, 'scenarios/s.ts': `while (true) {}\n${ok}` });
  const p = execa(process.execPath, [`${repo}bin/podlab.js`, 'lint', 'labs/lab'], {
    reject: false,
    cwd: dir,
    env: { XDG_CACHE_HOME: cacheHome, PODLAB_SCENARIO_TIMEOUT: '120' },
  });
  for (let waited = 0; !(await running(cacheHome)) && waited < 30_000; waited += 100) await sleep(100);
  t.ok(await running(cacheHome), 'the scenario is loading');
  p.kill('SIGKILL');
  await p;
  const killed = Date.now();
  while ((await running(cacheHome)) && Date.now() - killed < 5_000) await sleep(100);
  t.equal(await running(cacheHome), '', `no loading child ${Date.now() - killed} ms after podlab was killed`);
});
