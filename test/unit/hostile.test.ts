// The second, hostile half of the malformed corpus (issue 15): inputs an attacker or a careless user gives, each
// through the CLI with the exit code it must get and the file:line it must name, and never a stack trace.
import t from 'tap';
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const base = t.testdir({});
const outside = join(base, 'outside');
const marker = (name: string) => join(outside, `${name}.ran`);
/** A scenario that leaves a mark when its code runs: none of the refused ones may run. */
const marking = (name: string) =>
  `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker(name))}, 'ran');\n${ok}`;
const ok =
  "import { defineScenario, step } from 'podlab/scenario';\n" +
  "export default defineScenario('m', [step({ id: 'a', title: 'a', check: async () => ({ status: 'pass' as const }) })]);\n";
const front = (scenario = 'scenarios/s.ts', extra = '') => `---\ntitle: T\nid: m\nscenario: ${scenario}\n${extra}---\n`;
const applying = (path: string) => `${front()}\n## A {#a}\n\n\`\`\`bash\nkubectl apply -f ${path}\n\`\`\`\n`;
const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n';
const bomb = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  ...['b', 'c', 'd', 'e'].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcd'[i]}`).join(', ')}]`),
].join('\n');

type Entry = string | { symlink: string } | { fifo: true } | { sparse: number };
interface Case {
  name: string;
  files: Record<string, Entry>;
  code: number;
  /** what stderr must name: file:line:col, or the message where no file has a line */
  at: RegExp;
  args?: string[];
  env?: Record<string, string>;
  /** the longest the command may take (a hung scenario or a FIFO must not hang podlab) */
  withinMs?: number;
}

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
  ...[
    ['hang-loop', 'while (true) {}'],
    ['hang-await', 'await new Promise((resolve) => setTimeout(resolve, 1e9));'],
  ].map(([name, code]) => ({
    name: name!,
    files: { 'labs/lab/01-m.md': `${front()}\n## A {#a}\n`, 'scenarios/s.ts': `${code}\n${ok}` },
    code: 2,
    at: /^scenarios\/s\.ts:1:1 error: scenario did not finish loading within 2 s/m,
    env: { PODLAB_SCENARIO_TIMEOUT: '2' },
    withinMs: 10_000,
  })),
  {
    name: 'exit-0',
    files: { 'labs/lab/01-m.md': `${front()}\n## A {#a}\n`, 'scenarios/s.ts': `process.exit(0);\n${ok}` },
    code: 2,
    at: /^scenarios\/s\.ts:1:1 error: scenario ended the process while loading/m,
  },
  {
    name: 'fifo-module',
    files: { 'labs/lab/01-m.md': { fifo: true }, 'scenarios/s.ts': ok },
    code: 2,
    at: /^labs\/lab\/01-m\.md:1:1 error: .*FIFO/m,
    withinMs: 10_000,
  },
  {
    name: 'sparse-3g-module',
    files: { 'labs/lab/01-m.md': { sparse: 3 * 1024 ** 3 }, 'scenarios/s.ts': ok },
    code: 2,
    at: /^labs\/lab\/01-m\.md:1:1 error: lab module is 3221225472 bytes, over the 1048576-byte limit/m,
  },
  {
    name: 'fifo-manifest',
    files: {
      'labs/lab/01-m.md': applying('manifests/m.yaml'),
      'scenarios/s.ts': ok,
      'manifests/m.yaml': { fifo: true },
    },
    code: 2,
    at: /^labs\/lab\/01-m\.md:10:18 error: manifest manifests\/m\.yaml is a FIFO/m,
    withinMs: 10_000,
  },
  {
    name: 'crlf-module',
    files: {
      'labs/lab/01-m.md': `${front()}\n## A {#a}\n\n\`\`\`bash\necho hi\n\`\`\`\n`.replace(/\n/g, '\r\n'),
      'scenarios/s.ts': ok,
    },
    code: 0,
    at: /podlab lint: ok/,
  },
  ...['{#step one}', '{# a}', '{#a} and more', '{#a'].map((m, i) => ({
    name: `bad-marker-${i}`,
    files: { 'labs/lab/01-m.md': `${front()}\n## A {#a}\n\n## Step one ${m}\n`, 'scenarios/s.ts': ok },
    code: 2,
    at: /^labs\/lab\/01-m\.md:9:13 error: malformed step marker/m,
  })),
  {
    name: 'alias-bomb-front-matter',
    files: { 'labs/lab/01-m.md': `${front('scenarios/s.ts', `${bomb}\n`)}\n## A {#a}\n`, 'scenarios/s.ts': ok },
    code: 2,
    at: /^labs\/lab\/01-m\.md:6:8 error: front matter expands YAML aliases too often/m,
  },
  {
    name: 'alias-bomb-manifest',
    files: {
      'labs/lab/01-m.md': applying('manifests/m.yaml'),
      'scenarios/s.ts': ok,
      'manifests/m.yaml': `${pod}${bomb}\n`,
    },
    code: 2,
    at: /^labs\/lab\/01-m\.md:10:18 error: manifest manifests\/m\.yaml expands YAML aliases too often/m,
  },
  {
    name: 'lint-outside-a-project',
    files: { 'notes.txt': 'no labs here' },
    args: ['lint'],
    code: 2,
    at: /^podlab: no labs\/ folder in .*: run `podlab lint` in a lab project/m,
  },
  {
    name: 'kubeconfig-without-cluster',
    files: {
      'labs/lab/01-m.md': `${front()}\n## A {#a}\n`,
      'scenarios/s.ts': ok,
      'kc.yaml': 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n',
    },
    args: ['check', 'labs/lab', '-n', 'nowhere', '--kubeconfig', 'kc.yaml'],
    code: 3,
    at: /^podlab: kubeconfig kc\.yaml names no cluster for its current context/m,
  },
];

function make(dir: string, files: Record<string, Entry>): void {
  for (const [rel, entry] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof entry === 'string') writeFileSync(path, entry);
    else if ('symlink' in entry) symlinkSync(entry.symlink, path);
    else if ('fifo' in entry) execFileSync('mkfifo', [path]);
    else {
      writeFileSync(path, '');
      truncateSync(path, entry.sparse); // sparse: no real bytes written
    }
  }
}

make(outside, {
  'absolute.ts': marking('absolute'),
  'symlink.ts': marking('symlink'),
  'x.ts': marking('x'),
  'imported.ts': marking('imported'),
  'm.yaml': pod,
});
const podlab = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  execa(process.execPath, [`${repo}bin/podlab.js`, ...args], { reject: false, cwd, env, timeout: 60_000 });

t.test('each hostile input: its exit code, its file:line, no stack trace, no scenario code run', async (t) => {
  for (const c of cases) {
    const dir = join(base, c.name);
    mkdirSync(dir, { recursive: true });
    make(dir, c.files);
    const started = Date.now();
    const r = await podlab(c.args ?? ['lint', 'labs/lab'], dir, c.env);
    const took = Date.now() - started;
    t.equal(r.exitCode, c.code, `${c.name} exits ${c.code}`);
    t.match(r.stderr, c.at, `${c.name} names ${c.at.source}`);
    t.notMatch(`${r.stdout}\n${r.stderr}`, /\n {4}at /, `${c.name}: no stack trace`);
    if (c.withinMs) t.ok(took < c.withinMs, `${c.name} ended in ${took} ms`);
  }
  t.same(
    readdirSync(outside).filter((f) => f.endsWith('.ran')),
    [],
    'no scenario outside a project ran',
  );
});

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
