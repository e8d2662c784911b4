// The hostile corpus, continued: files a lab project may hold that must not hang, exhaust or crash podlab (FIFOs,
// a sparse 3 GB module, scenarios that hang or exit while loading, YAML alias bombs, CRLF, bad step markers, a
// kubeconfig without a cluster), each through the CLI with its exit code and file:line, never a stack trace.
import t from 'tap';
import { applying, checkCases, front, ok, pod, type Case } from '../helpers/hostile.js';

const base = t.testdir({});
const bomb = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  ...['b', 'c', 'd', 'e'].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcd'[i]}`).join(', ')}]`),
].join('\n');

const cases: Case[] = [
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

t.test('each hostile file: its exit code, its file:line, no stack trace', async (t) => {
  await checkCases(t, base, cases);
});
