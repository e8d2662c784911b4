// A generated corpus of malformed labs: each one is refused with file:line:col, never a crash.
import t from 'tap';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintPaths } from '../../harness/src/lint/lint.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const front = (extra = '', id = 'm') => `---\ntitle: T\nid: ${id}\nscenario: scenarios/s.ts\n${extra}---\n`;
const scenario = (module: string, ids: string[]) =>
  `import { defineScenario, step } from '${repo}harness/src/scenario/define.js';\nconst f = async () => {};\n` +
  `export default defineScenario('${module}', [${ids.map((i) => `step({ id: '${i}', title: '${i}', run: f, check: async () => ({ status: 'pass' as const }) })`).join(', ')}]);\n`;

/** Each case: the module text (or bytes) and the scenario text; every one of them must be refused. */
function corpus(): Array<{ name: string; module: string | Buffer; scenario?: string }> {
  const cases: Array<{ name: string; module: string | Buffer; scenario?: string }> = [];
  const ok = scenario('m', ['a']);
  const keys = [
    'colour',
    'sidebar_positon',
    'titel',
    'requires_runtime',
    'weight',
    'scenarios',
    'durations',
    'Id',
    'tag',
    'slugs',
  ];
  keys.forEach((k) =>
    cases.push({ name: `unknown-key-${k}`, module: `${front(`${k}: x\n`)}\n## A {#a}\n`, scenario: ok }),
  );
  [
    'title: [',
    'id: {x',
    ': no key',
    'a: b: c',
    '  - bad indent\nid: m',
    'title: "unclosed',
    'id: m\nid: m',
    '- just\n- a list',
    '@at: x',
    "title: 'x",
  ].forEach((y, i) => cases.push({ name: `broken-yaml-${i}`, module: `---\n${y}\n---\n\n## A {#a}\n`, scenario: ok }));
  [
    'duration: soon',
    'duration: 10',
    'requires: [gpu]',
    'requires: sandbox-runtime',
    'sidebar_position: first',
    'weights: [1]',
    'weights:\n  a: -1',
    'draft: maybe',
    'tags: x',
    'id: Not_Kebab',
  ].forEach((v, i) =>
    cases.push({
      name: `bad-value-${i}`,
      module: `---\ntitle: T\n${v.startsWith('id:') ? '' : 'id: m\n'}scenario: scenarios/s.ts\n${v}\n---\n\n## A {#a}\n`,
      scenario: ok,
    }),
  );
  for (let i = 0; i < 10; i++)
    cases.push({
      name: `duplicate-ids-${i}`,
      module: `${front()}\n## A {#a}\n\n${'#'.repeat(2 + (i % 3))} Again {#a}\n`,
      scenario: ok,
    });
  for (let i = 0; i < 10; i++)
    cases.push({
      name: `lab-only-step-${i}`,
      module: `${front()}\n## A {#a}\n\n## Extra {#extra-${i}}\n`,
      scenario: ok,
    });
  for (let i = 0; i < 10; i++)
    cases.push({
      name: `scenario-only-step-${i}`,
      module: `${front()}\n## A {#a}\n`,
      scenario: scenario('m', ['a', `ghost-${i}`]),
    });
  for (let i = 0; i < 10; i++)
    cases.push({
      name: `unclosed-fence-${i}`,
      module: `${front()}\n## A {#a}\n\n${'`'.repeat(3 + (i % 2))}bash\nkubectl get pods ${i}\n`,
      scenario: ok,
    });
  for (let i = 0; i < 10; i++) {
    const junk = Buffer.alloc(64 + i * 7);
    for (let j = 0; j < junk.length; j++) junk[j] = (j * 37 + i * 11) % 256;
    cases.push({ name: `binary-junk-${i}`, module: junk, scenario: ok });
  }
  for (let i = 0; i < 5; i++)
    cases.push({
      name: `huge-${i}`,
      module: `${front()}\n## A {#a}\n\n${'x'.repeat(1024 * 1024 + i)}\n`,
      scenario: ok,
    });
  [
    '',
    'export default 42;',
    'throw new Error("boom at load");',
    'this is not typescript (',
    scenario('other-module', ['a']),
    'export default { module: "m", steps: [{ id: "a" }] };',
    scenario('m', ['a', 'a']),
  ].forEach((s, i) => cases.push({ name: `bad-scenario-${i}`, module: `${front()}\n## A {#a}\n`, scenario: s }));
  for (let i = 0; i < 5; i++)
    cases.push({ name: `no-steps-${i}`, module: `${front()}\n## A heading without id ${i}\n`, scenario: ok });
  for (let i = 0; i < 5; i++)
    cases.push({ name: `no-front-matter-${i}`, module: `# Title ${i}\n\n## A {#a}\n`, scenario: ok });
  for (let i = 0; i < 5; i++)
    cases.push({
      name: `missing-manifest-${i}`,
      module: `${front()}\n## A {#a}\n\n\`\`\`bash\nkubectl apply -f manifests/none-${i}.yaml\n\`\`\`\n`,
      scenario: ok,
    });
  // Shell blocks no run would type, and marks podlab cannot read.
  const fence = (info: string, body = 'kubectl get pods') => `\`\`\`${info}\n${body}\n\`\`\`\n`;
  [
    'console',
    'zsh',
    'powershell',
    '',
    'shell-session',
    'bash podlab=nightly',
    'bash podlab=aks,mars',
    'yaml podlab=local',
    'text podlab=aks',
    'bash podlab=',
  ].forEach((info, i) =>
    cases.push({ name: `bad-block-${i}`, module: `${front()}\n## A {#a}\n\n${fence(info)}`, scenario: ok }),
  );
  for (let i = 0; i < 3; i++)
    cases.push({
      name: `stray-block-${i}`,
      module: `${front()}\n## A {#a}\n\n# Afterwards ${i}\n\n${fence('bash')}`,
      scenario: ok,
    });
  const instead = [`runInstead: '',`, `runInstead: 'no text',`, 'runInstead: 42,'];
  instead.forEach((extra, i) =>
    cases.push({
      name: `bad-run-instead-${i}`,
      module: `${front()}\n## A {#a}\n`,
      scenario:
        `import { defineScenario, step } from '${repo}harness/src/scenario/define.js';\n` +
        `export default defineScenario('m', [step({ id: 'a', title: 'a', ${extra} ${i === 1 ? '' : 'run: async () => {},'} check: async () => ({ status: 'pass' as const }) })]);\n`,
    }),
  );
  const ordered = (extra: string[]) =>
    `import { defineScenario, step } from '${repo}harness/src/scenario/define.js';\nconst f = async () => {};\n` +
    `export default defineScenario('m', [${['a', 'b'].map((id, i) => `step({ id: '${id}', title: '${id}', ${extra[i]} run: f, check: async () => ({ status: 'pass' as const }) })`).join(', ')}]);\n`;
  [
    ['', "after: ['nowhere'],"],
    ["after: ['b'],", ''],
    ['', "after: ['b'],"],
    ['', "after: 'a',"],
    ['', "after: ['a'], parallel: true,"],
  ].forEach((extra, i) =>
    cases.push({ name: `bad-after-${i}`, module: `${front()}\n## A {#a}\n\n## B {#b}\n`, scenario: ordered(extra) }),
  );
  return cases;
}

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
