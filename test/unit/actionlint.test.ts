// The example workflows under examples/ are real files: actionlint (built by scripts/install-test-deps.sh into the
// podlab cache) must find nothing in them, and must find the mistakes in a broken copy.
import t from 'tap';
import { execa } from 'execa';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from '../../harness/src/paths.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const actionlint = join(cacheDir(), 'tools', 'actionlint-v1.7.12', 'actionlint');
const workflows = readdirSync(join(repo, 'examples'))
  .filter((f) => f.endsWith('.yml'))
  .map((f) => join(repo, 'examples', f));

t.ok(existsSync(actionlint), `actionlint is built (bash scripts/install-test-deps.sh): ${actionlint}`);

t.test('every example workflow passes actionlint', async (t) => {
  t.ok(workflows.length > 0, 'there are workflows to check');
  // -shellcheck= : the run: scripts are checked by actionlint's own rules; shellcheck is not installed here.
  const r = await execa(actionlint, ['-no-color', '-shellcheck=', '-pyflakes=', ...workflows], { reject: false });
  t.equal(r.exitCode, 0, r.stdout + r.stderr);
  t.equal(r.stdout, '', 'nothing reported');
});

t.test('a broken workflow is reported', async (t) => {
  const dir = t.testdir();
  const broken = readFileSync(join(repo, 'examples', 'nightly-aks.yml'), 'utf8')
    .replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latest\n    needs: build')
    .replace('${{ vars.AKS_CLUSTER_NAME }}', '${{ vars.AKS_CLUSTER_NAME }')
    .replace("cron: '17 2 * * *'", "cron: '17 25 * * *'");
  const file = join(dir, 'broken.yml');
  writeFileSync(file, broken);
  const r = await execa(actionlint, ['-no-color', '-shellcheck=', '-pyflakes=', file], { reject: false });
  t.equal(r.exitCode, 1, 'actionlint fails');
  t.match(r.stdout, /job "lab" needs job "build" which does not exist/);
  t.match(r.stdout, /cron/);
  t.match(r.stdout, /\$\{\{/, 'the unclosed expression');
});
