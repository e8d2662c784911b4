// A lab text with a mistake in its Markdown (a typo, a variable not exported, a wrong manifest path) fails at
// the Markdown line that has it: the step's reason names file:line, the command and its exit code.
import t, { type Test } from 'tap';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { json, podlab, repo, step } from '../helpers/text-run.js';

/** A copy of the Pod Sandboxing lab in a project of its own, with one line of its Markdown changed. */
function brokenCopy(t: Test, file: string, from: string | RegExp, to: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'podlab-broken-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const part of ['labs/pod-sandboxing', 'scenarios/pod-sandboxing', 'manifests/pod-sandboxing'])
    cpSync(join(repo, part), join(dir, part), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "name": "broken-workshop", "private": true }\n');
  symlinkSync(join(repo, 'bin'), join(dir, 'bin'));
  const path = join(dir, 'labs/pod-sandboxing', file);
  const text = readFileSync(path, 'utf8');
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`${file}: nothing to break`);
  writeFileSync(path, changed);
  return join(dir, 'labs/pod-sandboxing');
}

t.test('a typo in a kubectl verb fails its step at the Markdown line, with the exit code and the output', async (t) => {
  const lab = brokenCopy(t, '02-deploy.md', '| kubectl apply -n $NS -f -', '| kubectl aply -n $NS -f -');
  const r = await podlab(['run', lab, '--to', 'deploy-pods', '--reporter', 'json']);
  t.equal(r.exitCode, 1, r.stderr);
  const deploy = step(json(r.stdout), 'deploy-pods');
  t.equal(deploy.status, 'fail');
  t.equal(
    deploy.reason,
    'labs/pod-sandboxing/02-deploy.md:23: `envsubst < manifests/pod-sandboxing/pods.yaml | kubectl aply -n $NS -f -` exited 1',
  );
  t.match(deploy.actual, /unknown command "aply" for "kubectl"/);
  t.equal(step(json(r.stdout), 'cluster-ready').status, 'pass');
  t.same(json(r.stdout).teardown?.evidence?.leaked, []);
});

t.test("a variable a later module needs but no module exports fails that module's step, at its line", async (t) => {
  const lab = brokenCopy(t, '01-setup.md', 'export RUNTIME_CLASS=gvisor\n', 'echo "forgot to export RUNTIME_CLASS"\n');
  const r = await podlab(['run', lab, '--to', 'deploy-pods', '--reporter', 'json']);
  t.equal(r.exitCode, 1, r.stderr);
  const result = json(r.stdout);
  t.equal(step(result, 'cluster-ready').status, 'pass', 'module 1 itself still passes');
  t.equal(
    step(result, 'deploy-pods').reason,
    'labs/pod-sandboxing/02-deploy.md:22: `kubectl get runtimeclass "$RUNTIME_CLASS"` exited 1',
  );
  t.match(step(result, 'deploy-pods').actual, /resource name may not be empty/);
});

t.test('a wrong manifest path in a later module is refused before the run, at its file:line:col', async (t) => {
  const lab = brokenCopy(
    t,
    '06-noisy-neighbour.md',
    'manifests/pod-sandboxing/victim.yaml',
    'manifests/pod-sandboxing/victm.yaml',
  );
  const r = await podlab(['run', lab]);
  t.equal(r.exitCode, 2, r.stderr);
  // where the lab's text names the manifest: its line, and the column where the path starts
  const text = readFileSync(`${repo}labs/pod-sandboxing/06-noisy-neighbour.md`, 'utf8').split('\n');
  const line = text.findIndex((l) => l.includes('manifests/pod-sandboxing/victim.yaml'));
  const col = text[line]!.indexOf('manifests/pod-sandboxing/victim.yaml') + 1;
  t.match(
    r.stderr,
    new RegExp(
      `06-noisy-neighbour\\.md:${line + 1}:${col} error: manifest manifests/pod-sandboxing/victm\\.yaml does not exist`,
    ),
  );
  t.equal(r.stdout, '', 'no run started: no TAP');
});
