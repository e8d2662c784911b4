// podlab/scenario is the one public surface scenarios program against: its names and types are pinned here.
// A change to it must change test/fixtures/scenario-api.d.ts in the same commit (regenerate: PODLAB_PIN=write).
import t from 'tap';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const pinned = join(repo, 'test/fixtures/scenario-api.d.ts');

t.test('the exported names, of the built package as a scenario imports it', async (t) => {
  // `podlab/scenario` resolves through package.json's "exports" (a package may import itself by name): the built
  // entry point, dist/harness/src/scenario/api.js, as an installed podlab serves it.
  const api = (await import('podlab/scenario' as string)) as Record<string, unknown>;
  t.same(Object.keys(api).sort(), [
    'cpuVerdict',
    'defineScenario',
    'fail',
    'isLabImage',
    'labImage',
    'memoryVerdict',
    'nodeDevicesAmong',
    'oomVerdict',
    'parsePartitions',
    'pass',
    'podIsRunning',
    'podProblem',
    'profileFor',
    'readPod',
    'skip',
    'standInReason',
    'step',
    'verdict',
  ]);
});

t.test('the exported types, as tsc declares them', async (t) => {
  const out = t.testdir();
  const r = await execa(
    'npx',
    [
      'tsc',
      '--declaration',
      '--emitDeclarationOnly',
      '--outDir',
      out,
      '--rootDir',
      join(repo, 'harness/src'),
      '--module',
      'NodeNext',
      '--moduleResolution',
      'NodeNext',
      '--target',
      'ES2022',
      '--strict',
      '--skipLibCheck',
      join(repo, 'harness/src/scenario/api.ts'),
    ],
    { cwd: repo, reject: false },
  );
  t.equal(r.exitCode, 0, r.stdout + r.stderr);
  // The scenario folder, the cluster types it re-exports (ExecResult, SandboxRuntime) and the profile tables.
  const files = [
    ...readdirSync(join(out, 'scenario'))
      .filter((f) => f.endsWith('.d.ts'))
      .sort()
      .map((f) => `scenario/${f}`),
    'k8s/types.d.ts',
    'profiles/profile.d.ts',
    'profiles/tables.d.ts',
    'profiles/verdicts.d.ts',
  ];
  const declared = files
    .map((f) => `// ${f}\n${readFileSync(join(out, f), 'utf8').replace(/\/\/# sourceMappingURL=.*\n?/, '')}`)
    .join('\n');
  if (process.env.PODLAB_PIN === 'write') writeFileSync(pinned, declared);
  t.equal(
    declared,
    readFileSync(pinned, 'utf8'),
    'podlab/scenario changed: if on purpose, regenerate test/fixtures/scenario-api.d.ts (PODLAB_PIN=write)',
  );
});
