// The malformed corpus (issue 15): over a hundred labs podlab must refuse, grouped by what is wrong with them:
// front matter, the lab's structure, shell blocks, and scenarios. Each case is a module's text (or bytes) and its
// scenario's text.
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const front = (extra = '', id = 'm') => `---\ntitle: T\nid: ${id}\nscenario: scenarios/s.ts\n${extra}---\n`;
const scenario = (module: string, ids: string[]) =>
  `import { defineScenario, step } from '${repo}harness/src/scenario/define.js';\nconst f = async () => {};\n` +
  `export default defineScenario('${module}', [${ids.map((i) => `step({ id: '${i}', title: '${i}', run: f, check: async () => ({ status: 'pass' as const }) })`).join(', ')}]);\n`;

export interface Case {
  name: string;
  module: string | Buffer;
  scenario?: string;
}

/** Unknown keys, YAML that does not parse, values of the wrong kind, no front matter at all. */
function frontMatter(): Case[] {
  const cases: Case[] = [];
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
  for (let i = 0; i < 5; i++)
    cases.push({ name: `no-front-matter-${i}`, module: `# Title ${i}\n\n## A {#a}\n`, scenario: ok });
  return cases;
}

/** Step ids twice, steps only the lab or only the scenario has, unclosed fences, binary or huge modules, no steps, a missing manifest. */
function structure(): Case[] {
  const cases: Case[] = [];
  const ok = scenario('m', ['a']);
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
  for (let i = 0; i < 5; i++)
    cases.push({ name: `no-steps-${i}`, module: `${front()}\n## A heading without id ${i}\n`, scenario: ok });
  for (let i = 0; i < 5; i++)
    cases.push({
      name: `missing-manifest-${i}`,
      module: `${front()}\n## A {#a}\n\n\`\`\`bash\nkubectl apply -f manifests/none-${i}.yaml\n\`\`\`\n`,
      scenario: ok,
    });
  return cases;
}

/** Shell blocks no run would type, and marks podlab cannot read. */
function blocks(): Case[] {
  const cases: Case[] = [];
  const ok = scenario('m', ['a']);
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
  return cases;
}

/** Scenarios that do not load, or whose steps say runInstead or after wrongly. */
function scenarios(): Case[] {
  const cases: Case[] = [];
  [
    '',
    'export default 42;',
    'throw new Error("boom at load");',
    'this is not typescript (',
    scenario('other-module', ['a']),
    'export default { module: "m", steps: [{ id: "a" }] };',
    scenario('m', ['a', 'a']),
  ].forEach((s, i) => cases.push({ name: `bad-scenario-${i}`, module: `${front()}\n## A {#a}\n`, scenario: s }));
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

/** Every case; each of them must be refused. */
export const corpus = (): Case[] => [...frontMatter(), ...structure(), ...blocks(), ...scenarios()];
