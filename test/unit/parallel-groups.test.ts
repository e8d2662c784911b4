// Which steps the runner starts together: `parallel: true` within a module, a named group across modules.
import t from 'tap';
import { parallelGroups } from '../../harness/src/runner/run.js';
import type { LabModule } from '../../harness/src/model/types.js';
import type { StepDefinition } from '../../harness/src/scenario/types.js';

const moduleA = { file: 'a.md' } as unknown as LabModule;
const moduleB = { file: 'b.md' } as unknown as LabModule;
const planned = (module: LabModule, id: string, parallel?: boolean | string) =>
  ({ module, step: { id, title: id, parallel, run: async () => {}, check: async () => ({ ok: true }) } as StepDefinition });
const ids = (groups: Array<Array<ReturnType<typeof planned>>>) => groups.map((g) => g.map((p) => p.step.id));

t.test('parallel: true groups consecutive steps of one module only', async (t) => {
  t.same(ids(parallelGroups([
    planned(moduleA, 'a1', true), planned(moduleA, 'a2', true), planned(moduleB, 'b1', true), planned(moduleB, 'b2'),
  ])), [['a1', 'a2'], ['b1'], ['b2']]);
});

t.test('a named group spans modules; another name or a plain step ends it', async (t) => {
  t.same(ids(parallelGroups([
    planned(moduleA, 'deploy'),
    planned(moduleA, 'kernels', 'pods-up'), planned(moduleB, 'ping', 'pods-up'),
    planned(moduleB, 'policy', 'after-ping'), planned(moduleB, 'limits', 'after-ping'),
    planned(moduleB, 'noisy'),
    planned(moduleA, 'oom', 'last'), planned(moduleB, 'host', 'last'), planned(moduleB, 'priv', 'last'),
  ])), [['deploy'], ['kernels', 'ping'], ['policy', 'limits'], ['noisy'], ['oom', 'host', 'priv']]);
});

t.test('true and a name do not mix, and an empty name groups nothing', async (t) => {
  t.same(ids(parallelGroups([planned(moduleA, 'x', true), planned(moduleA, 'y', 'g'), planned(moduleA, 'z', ''), planned(moduleA, 'w', '')])),
    [['x'], ['y'], ['z'], ['w']]);
});
