// When the runner starts each step: parallel groups, `after`, steps that run alone (pure logic, no cluster).
import t from 'tap';
import { ordering, parallelGroups } from '../../harness/src/runner/schedule.js';
import type { LabModule } from '../../harness/src/model/types.js';
import type { StepDefinition } from '../../harness/src/scenario/types.js';

const moduleA = { file: 'a.md' } as unknown as LabModule;
const moduleB = { file: 'b.md' } as unknown as LabModule;
const planned = (module: LabModule, id: string, parallel?: boolean | string, after?: string[]) => ({
  module,
  step: {
    id,
    title: id,
    parallel,
    after,
    run: async () => {},
    check: async () => ({ status: 'pass' as const }),
  } as StepDefinition,
});
const ids = (groups: Array<Array<ReturnType<typeof planned>>>) => groups.map((g) => g.map((p) => p.step.id));

t.test('parallel: true groups consecutive steps of one module only', async (t) => {
  t.same(
    ids(
      parallelGroups([
        planned(moduleA, 'a1', true),
        planned(moduleA, 'a2', true),
        planned(moduleB, 'b1', true),
        planned(moduleB, 'b2'),
      ]),
    ),
    [['a1', 'a2'], ['b1'], ['b2']],
  );
});

t.test('a named group spans modules; another name or a plain step ends it', async (t) => {
  t.same(
    ids(
      parallelGroups([
        planned(moduleA, 'deploy'),
        planned(moduleA, 'kernels', 'pods-up'),
        planned(moduleB, 'ping', 'pods-up'),
        planned(moduleB, 'policy', 'after-ping'),
        planned(moduleB, 'limits', 'after-ping'),
        planned(moduleB, 'noisy'),
        planned(moduleA, 'oom', 'last'),
        planned(moduleB, 'host', 'last'),
        planned(moduleB, 'priv', 'last'),
      ]),
    ),
    [['deploy'], ['kernels', 'ping'], ['policy', 'limits'], ['noisy'], ['oom', 'host', 'priv']],
  );
});

t.test('true and a name do not mix, and an empty name groups nothing', async (t) => {
  t.same(
    ids(
      parallelGroups([
        planned(moduleA, 'x', true),
        planned(moduleA, 'y', 'g'),
        planned(moduleA, 'z', ''),
        planned(moduleA, 'w', ''),
      ]),
    ),
    [['x'], ['y'], ['z'], ['w']],
  );
});

t.test('a step with `after` is never part of a group', async (t) => {
  t.same(
    ids(parallelGroups([planned(moduleA, 'x', 'g'), planned(moduleA, 'y', 'g', ['x']), planned(moduleA, 'z', 'g')])),
    [['x'], ['y'], ['z']],
  );
});

t.test('ordering: what each step waits for, what it needs, and whether it runs alone', async (t) => {
  const o = ordering([
    planned(moduleA, 'ready'),
    planned(moduleA, 'deploy', undefined, ['ready']),
    planned(moduleA, 'kernels', undefined, ['deploy']),
    planned(moduleB, 'ping', undefined, ['deploy', 'not-in-plan']),
    planned(moduleB, 'g1', 'grp'),
    planned(moduleB, 'g2', 'grp'),
    planned(moduleB, 'measure'),
    planned(moduleB, 'late', undefined, ['ready']),
  ]);
  t.same(
    o.waitsFor,
    [[], [0], [1], [1], [0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3, 4, 5], [0]],
    'after: only the named steps (those in the plan); others: everything before them or their group',
  );
  t.same(o.needs, [[], [0], [1], [1], [], [], [], [0]], 'only `after` makes a hard need');
  t.same(o.alone, [true, false, false, false, false, false, true, false]);
  t.same(ordering([planned(moduleA, 'solo', true)]).alone, [false], 'a one-step group still opted into concurrency');
});
