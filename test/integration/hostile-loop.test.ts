// Scenario code that never yields (issue 23, class 3: "every command ends by itself"): a check() that loops
// synchronously after starting a command through ctx.$, and a top level that loops only when podlab itself
// imports it (it behaves in the loading child, which lint trusts). Each `podlab check` on the embedded cluster
// ends within seconds, names what held it, leaves no process behind and prints no stack trace.
import t from 'tap';
import { execa } from 'execa';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';
import { front, make, podlab } from '../helpers/hostile.js';

const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);
const ns = `hostile-loop-${process.pid}`;
const base = t.testdir({});
const marker = `${process.pid}.4242`; // sleep's argument: a process we can find by it
const scenario = (top: string, check: string) =>
  `${top}\nimport { defineScenario, step } from 'podlab/scenario';\n` +
  `export default defineScenario('m', [step({ id: 'a', title: 'a', check: ${check} })]);\n`;

const cases = [
  {
    name: 'check-loops',
    code: scenario(
      '',
      `async (ctx) => { void ctx.$\`sleep ${marker}\`.nothrow(); await new Promise((r) => setTimeout(r, 500)); while (true) {} }`,
    ),
    says: /^podlab: check\(\) of step a has held podlab for \d+ s without yielding/m,
  },
  {
    name: 'top-level-loops-outside-the-loader',
    code: scenario('if (!process.permission) while (true) {}', "async () => ({ status: 'pass' as const })"),
    says: /^podlab: the top level of scenario scenarios\/s\.ts has held podlab for \d+ s without yielding/m,
  },
];

t.before(() => cluster.core.createNamespace({ body: { metadata: { name: ns } } }));
t.teardown(() => cluster.core.deleteNamespace({ name: ns }).catch(() => undefined));

for (const c of cases)
  t.test(`${c.name}: check ends by itself, says why, and leaves no process`, async (t) => {
    const dir = join(base, c.name);
    make(dir, { 'labs/lab/01-m.md': `${front()}\n## A {#a}\n`, 'scenarios/s.ts': c.code });
    const started = Date.now();
    const r = await podlab(['check', 'labs/lab', '-n', ns], dir, {
      KUBECONFIG: EMBEDDED_KUBECONFIG,
      PODLAB_SCENARIO_TIMEOUT: '3',
    });
    const took = Date.now() - started;
    t.ok(took < 30_000, `ended in ${took} ms`);
    t.equal(r.signal, 'SIGKILL', 'podlab ended itself (SIGKILL: nothing else stops a thread that never yields)');
    t.match(r.stderr, c.says, 'it names the scenario code that held it');
    t.notMatch(r.stderr, /\n {4}at /, 'no stack trace');
    await sleep(300);
    const left = await execa('pgrep', ['-f', `sleep ${marker}`], { reject: false });
    t.equal(left.stdout.trim(), '', 'the command the check started is gone');
  });
