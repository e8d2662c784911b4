// The package as a workshop team gets it: `npm pack` of this checkout (prepack builds dist/), installed into a
// scratch repository with its own labs/, scenarios/ and manifests/, and used from there through `npx podlab`.
import t from 'tap';
import { execa, type Options } from 'execa';
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);

const scratch = t.testdir({ pack: {}, workshop: { labs: {}, scenarios: {}, manifests: {} } });
const workshop = join(scratch, 'workshop');
const tarball = join(scratch, 'pack', `podlab-${version}.tgz`);
const inWorkshop = (cmd: string, args: string[], o: Options = {}) =>
  execa(cmd, args, { cwd: workshop, reject: false, env: { KUBECONFIG: EMBEDDED_KUBECONFIG }, ...o });

/**
 * The workshop's lockfile: podlab from the tarball, and podlab's own runtime packages exactly as this
 * checkout's lockfile resolves them (dev packages left out), so `npm ci --offline` needs no registry.
 */
function workshopLock(spec: string): unknown {
  type Entry = { dev?: boolean; devOptional?: boolean };
  const own = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, Entry> };
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    engines: unknown;
  };
  const runtime = Object.entries(own.packages).filter(
    ([path, e]) => path.startsWith('node_modules/') && !e.dev && !e.devOptional,
  );
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  return {
    name: 'workshop',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'workshop', dependencies: { podlab: spec } },
      'node_modules/podlab': {
        version,
        resolved: spec,
        integrity,
        dependencies: pkg.dependencies,
        bin: { podlab: 'bin/podlab.js' },
        engines: pkg.engines,
      },
      ...Object.fromEntries(runtime),
    },
  };
}

/** Every file under dir with its mtime, to show that nothing was written into the installed package. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => `${f} ${statSync(join(dir, f)).mtimeMs}`)
    .sort();
}

t.test('npm pack ships the built CLI, cluster/, the schema and the scenario types, and nothing else', async (t) => {
  const pack = await execa('npm', ['pack', '--pack-destination', join(scratch, 'pack')], { cwd: repo, reject: false });
  t.equal(pack.exitCode, 0, pack.stderr);
  const files = (await execa('tar', ['tzf', tarball])).stdout.split('\n').map((f) => f.replace(/^package\//, ''));
  for (const f of [
    'bin/podlab.js',
    'dist/cli/podlab.js',
    'dist/harness/src/scenario/api.js',
    'dist/types/scenario/api.d.ts',
    'harness/schemas/lab-frontmatter.schema.json',
    'cluster/podlab-cluster.sh',
    'cluster/k8s/go.mod',
  ]) {
    t.ok(files.includes(f), `ships ${f}`);
  }
  t.same(
    files.filter((f) => /^(test|bench|labs|scenarios|manifests|harness\/src)\/|\.map$/.test(f)),
    [],
    'no tests, bench, labs, sources or source maps',
  );
});

t.test('the packed package depends only on what the bundle leaves out or the scenario types name', async (t) => {
  const packed = JSON.parse((await execa('tar', ['xzOf', tarball, 'package/package.json'])).stdout) as {
    dependencies: Record<string, string>;
  };
  const shipped = (await execa('tar', ['tzf', tarball])).stdout.split('\n').map((f) => f.replace(/^package\//, ''));
  const text = (dir: string) =>
    shipped
      .filter((f) => f.startsWith(dir) && /\.(js|ts)$/.test(f))
      .map((f) => readFileSync(join(repo, f), 'utf8'))
      .join('\n');
  const code = text('dist/cli/') + text('dist/harness/') + text('bin/');
  const types = text('dist/types/');
  const named = (name: string, src: string) =>
    new RegExp(`(from ?|import\\()['"]${name.replace(/[/.]/g, '\\$&')}(/[^'"]*)?['"]`).test(src);
  for (const name of Object.keys(packed.dependencies))
    t.ok(named(name, code) || named(name, types), `${name} is imported at run time or named by the types`);
  for (const bundled of ['ajv', 'commander', 'execa', 'markdown-it', 'p-limit', 'yaml'])
    t.notOk(packed.dependencies[bundled], `${bundled} is bundled into the CLI, not installed`);
});

t.test('installed offline into a workshop repository', async (t) => {
  for (const d of ['labs', 'scenarios', 'manifests'])
    cpSync(join(repo, d, 'hello-pod'), join(workshop, d, 'hello-pod'), { recursive: true });
  const spec = `file:${relative(workshop, tarball)}`;
  writeFileSync(
    join(workshop, 'package.json'),
    JSON.stringify({ name: 'workshop', private: true, type: 'module', dependencies: { podlab: spec } }),
  );
  writeFileSync(join(workshop, 'package-lock.json'), JSON.stringify(workshopLock(spec)));
  // Offline: every tarball the lockfile names is in the npm cache (the checkout was installed from it).
  const install = await inWorkshop('npm', ['ci', '--offline', '--no-audit', '--no-fund']);
  t.equal(install.exitCode, 0, install.stderr);
  const installed = join(workshop, 'node_modules', 'podlab');
  const before = snapshot(installed);

  const v = await inWorkshop('npx', ['podlab', '--version']);
  t.equal(v.stdout.trim(), version, 'podlab --version prints the package version');

  const lint = await inWorkshop('npx', ['podlab', 'lint']);
  t.equal(lint.exitCode, 0, lint.stderr);
  t.match(lint.stderr, /hello-pod: shell blocks run per platform/, "lints the workshop's own labs/");

  const up = await inWorkshop('npx', ['podlab', 'cluster', 'up']);
  t.equal(up.exitCode, 0, up.stderr);
  t.match(up.stderr, /already running/, 'finds the running cluster through the cache outside the package');

  const run = await inWorkshop('npx', ['podlab', 'run', 'hello-pod']);
  t.equal(run.exitCode, 0, run.stderr);
  t.match(run.stdout, /ok 1 - deploy-pod[\s\S]*ok 2 - say-hello[\s\S]*ok 2 - teardown/);
  const runId = /namespace podlab-[\w-]+-(\d{8}-[0-9a-f]{6})/.exec(run.stdout)?.[1];
  t.ok(runId, 'the run id is in the TAP header');
  t.same(await cluster.labelled(`podlab.dev/run=${runId}`), [], 'no object of the run remains');

  t.same(snapshot(installed), before, 'nothing was written into node_modules/podlab');
});

t.test("tsc type-checks the workshop's scenarios against podlab/scenario", async (t) => {
  const tsc = join(repo, 'node_modules', '.bin', 'tsc');
  const compilerOptions = {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  };
  writeFileSync(join(workshop, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['scenarios/**/*.ts'] }));
  const good = await inWorkshop(tsc, ['-p', 'tsconfig.json']);
  t.equal(good.exitCode, 0, good.stdout);

  // The types are real: a step without its check is an error.
  mkdirSync(join(workshop, 'scenarios', 'broken'));
  writeFileSync(
    join(workshop, 'scenarios', 'broken', 'broken.ts'),
    "import { defineScenario, step } from 'podlab/scenario';\nexport default defineScenario('broken', [step({ id: 'x', title: 'X' })]);\n",
  );
  const bad = await inWorkshop(tsc, ['-p', 'tsconfig.json']);
  t.equal(bad.exitCode, 2, 'tsc reports the error');
  t.match(bad.stdout, /broken\.ts\(2,\d+\): error TS2345:[\s\S]*'check' is missing/);
});
