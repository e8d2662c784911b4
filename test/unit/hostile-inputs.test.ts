// The hostile corpus, inputs that hang or blow up (issue 23, class 3) and results lost to I/O (class 5): files
// that are FIFOs or devices, numbers past a timer's range, text that makes a regular expression quadratic, a
// glob that backtracks, a progress record with wrong types, fence marks that contradict each other. Each through
// the CLI where it can be: its exit code, what it names, how long it took, and never a stack trace.
import t from 'tap';
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { globMatcher } from '../../harness/src/grade/selectors.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const base = t.testdir({});
const ok =
  "import { defineScenario, step } from 'podlab/scenario';\n" +
  "export default defineScenario('m', [step({ id: 'a', title: 'a', check: async () => ({ status: 'pass' as const }) })]);\n";
const front = `---\ntitle: T\nid: m\nscenario: scenarios/s.ts\n---\n`;
const lab = (body = '\n## A {#a}\n') => ({ 'labs/lab/01-m.md': `${front}${body}`, 'scenarios/s.ts': ok });

type Entry = string | { fifo: true };
interface Case {
  name: string;
  files?: Record<string, Entry>;
  args: string[];
  env?: Record<string, string>;
  code: number;
  at: RegExp;
  withinMs?: number;
}

const cases: Case[] = [
  ...[
    ['check', 'labs/lab', '-n', 'x', '--watch', '--interval', '99999999999'],
    ['grade', 'labs/lab', '--namespaces', 'a', '--interval', '2147484'],
    ['grade', 'labs/lab', '--namespaces', 'a', '--concurrency', '1e3'],
    ['grade', 'labs/lab', '--namespaces', 'a', '--exec-concurrency', '0'],
    ['doctor', '--pull-timeout', '-5'],
  ].map((args, i) => ({
    name: `number-option-${i}`,
    args,
    code: 2,
    at: new RegExp(
      `option '${args.find((a, j) => a.startsWith('--') && /\d/.test(args[j + 1] ?? ''))} <[a-z]+>'.*expected a whole number`,
    ),
  })),
  ...[
    ['PODLAB_SCENARIO_TIMEOUT', '2147484'],
    ['PODLAB_SCENARIO_TIMEOUT', '0.5'],
    ['PODLAB_LEASE_SECONDS', '1e9'],
  ].map(([name, value]) => ({
    name: `number-env-${name}-${value}`,
    files: lab(),
    args: ['lint', 'labs/lab'],
    env: { [name!]: value! },
    code: 2,
    at: new RegExp(`^podlab: ${name}: expected a whole number of seconds from \\d+ to 3600, got "${value}"`, 'm'),
  })),
  {
    // 640 s before: /\s*\{#.../ tried at every one of a million positions
    name: 'heading-of-spaces',
    files: lab(`\n## A {#a}\n\n## B${' '.repeat(1_000_000)}x\n`),
    args: ['lint', 'labs/lab'],
    code: 0,
    at: /podlab lint: ok/,
    withinMs: 15_000,
  },
  {
    name: 'heading-of-markers',
    files: lab(`\n## A {#a}\n\n## B ${'{#'.repeat(400_000)}\n`),
    args: ['lint', 'labs/lab'],
    code: 2,
    at: /^labs\/lab\/01-m\.md:9:6 error: malformed step marker/m,
    withinMs: 15_000,
  },
  {
    // 278 s before: /manifests\/[\w./-]+\.ya?ml/g backtracked from every `manifests/`
    name: 'manifest-line',
    files: lab(`\n## A {#a}\n\n\`\`\`bash\necho ${'manifests/'.repeat(100_000)}\n\`\`\`\n`),
    args: ['lint', 'labs/lab'],
    code: 0,
    at: /podlab lint: ok/,
    withinMs: 15_000,
  },
  ...['podlab=skip podlab=local', 'podlab=local podlab=aks', 'podlab=aks title=x podlab=skip'].map((marks, i) => ({
    name: `contradicting-marks-${i}`,
    files: lab(`\n## A {#a}\n\n\`\`\`bash ${marks}\necho hi\n\`\`\`\n`),
    args: ['lint', 'labs/lab'],
    code: 2,
    at: /^labs\/lab\/01-m\.md:9:1 error: more than one podlab= mark on one fence/m,
  })),
  ...['KUBECONFIG', '--kubeconfig'].flatMap((how) =>
    [
      ['fifo', { fifo: true as const }, /is a FIFO \(named pipe\), not a regular file/],
      ['dev-zero', '/dev/zero', /is a device, not a regular file/],
    ].map(([kind, entry, at]) => {
      const file = kind === 'fifo' ? 'kc.fifo' : '/dev/zero';
      return {
        name: `kubeconfig-${kind}-${how}`,
        files: { ...lab(), ...(kind === 'fifo' ? { 'kc.fifo': entry as Entry } : {}) },
        args: ['check', 'labs/lab', '-n', 'x', '--no-record', ...(how === 'KUBECONFIG' ? [] : ['--kubeconfig', file])],
        env: how === 'KUBECONFIG' ? { KUBECONFIG: file } : {},
        code: 3,
        at: new RegExp(`^podlab: cannot read kubeconfig ${file.replace('.', '\\.')}: ${(at as RegExp).source}`, 'm'),
        withinMs: 15_000,
      };
    }),
  ),
  {
    name: 'kubeconfig-ca-fifo',
    files: {
      ...lab(),
      'ca.fifo': { fifo: true },
      'kc.yaml':
        'apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1", certificate-authority: ca.fifo}}]\n' +
        'contexts: [{name: c, context: {cluster: c, user: u}}]\nusers: [{name: u, user: {token: t}}]\n',
    },
    args: ['check', 'labs/lab', '-n', 'x', '--no-record', '--kubeconfig', 'kc.yaml'],
    code: 3,
    at: /^podlab: kubeconfig kc\.yaml: its certificate-authority .*ca\.fifo is a FIFO/m,
    withinMs: 15_000,
  },
  {
    name: 'scenario-fifo',
    files: { 'labs/lab/01-m.md': `${front}\n## A {#a}\n`, 'scenarios/s.ts': { fifo: true } },
    args: ['lint', 'labs/lab'],
    code: 2,
    at: /scenarios\/s\.ts.*not a regular file/,
    withinMs: 15_000,
  },
  {
    name: 'scenario-imports-a-device',
    files: { ...lab(), 'scenarios/s.ts': `import './zero.json';\n${ok}`, 'scenarios/zero.json': { fifo: true } },
    args: ['lint', 'labs/lab'],
    code: 2,
    at: /zero\.json is not a regular file/,
    withinMs: 15_000,
  },
  ...[
    ['fifo', { fifo: true as const }, /is not a regular file/],
    ['dev-zero', '', /is not a regular file/],
  ].map(([kind, entry, at]) => ({
    name: `record-${kind}`,
    files: { ...lab(), ...(kind === 'fifo' ? { 'rec.fifo': entry as Entry } : {}) },
    args: ['check', 'labs/lab', '-n', 'x', '--record', kind === 'fifo' ? 'rec.fifo' : '/dev/zero'],
    code: 2,
    at: new RegExp(`^podlab: progress record .* ${(at as RegExp).source}: name a file with --record`, 'm'),
    withinMs: 15_000,
  })),
];

function make(dir: string, files: Record<string, Entry>): void {
  for (const [rel, entry] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof entry === 'string') writeFileSync(path, entry);
    else execFileSync('mkfifo', [path]);
  }
}

const podlab = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  execa(process.execPath, [`${repo}bin/podlab.js`, ...args], {
    reject: false,
    cwd,
    env: { KUBECONFIG: join(base, 'none.yaml'), ...env },
    timeout: 60_000,
  });

t.test('each input that hung or blew up: its exit code, what it names, in time, no stack trace', async (t) => {
  for (const c of cases) {
    const dir = join(base, c.name);
    mkdirSync(dir, { recursive: true });
    make(dir, c.files ?? {});
    const started = Date.now();
    const r = await podlab(c.args, dir, c.env);
    const took = Date.now() - started;
    t.equal(r.exitCode, c.code, `${c.name} exits ${c.code}`);
    t.match(r.stderr, c.at, `${c.name} names ${c.at.source}`);
    t.notMatch(`${r.stdout}\n${r.stderr}`, /\n {4}at /, `${c.name}: no stack trace`);
    if (c.withinMs) t.ok(took < c.withinMs, `${c.name} ended in ${took} ms`);
  }
});

t.test('the --namespaces glob: what it matches, and in linear time on many stars', async (t) => {
  t.ok(globMatcher('attendee-*')('attendee-ana'));
  t.ok(globMatcher('a?a*-*')('ana-b'));
  t.ok(globMatcher('*')(''));
  t.notOk(globMatcher('attendee-*')('team-ana'));
  t.notOk(globMatcher('a?')('a'));
  // a regular expression made of this glob (a.*a.*a.*...b) takes minutes on a 63-character name
  const glob = `${'a*'.repeat(40)}b`;
  const started = Date.now();
  const matched = Array.from({ length: 100 }, () => globMatcher(glob)('a'.repeat(63)));
  t.same(new Set(matched), new Set([false]), 'no match: the name has no b');
  t.ok(Date.now() - started < 1000, `100 matches of ${glob.length} characters took ${Date.now() - started} ms`);
});
