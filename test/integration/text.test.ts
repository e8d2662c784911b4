// The lab text is what runs: each step's shell blocks typed into one shell, on the embedded cluster.
import t from 'tap';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';
import type { RunResult } from '../../harness/src/report/model.js';
import { parseTap } from '../helpers/tap.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const env = { KUBECONFIG: EMBEDDED_KUBECONFIG };
const podlab = (args: string[], extra: Record<string, string> = {}) =>
  execa('node', [`${repo}bin/podlab.js`, ...args], { reject: false, env: { ...env, ...extra } });
const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);
const json = (stdout: string) => JSON.parse(stdout) as RunResult;
const step = (r: RunResult, id: string) => r.steps.find((s) => s.id === id)!;
const namespaceGone = async (name: string) => !(await cluster.core.readNamespace({ name }).catch(() => undefined));

t.test("state set in module 1 is there in module 4; other platforms' blocks and podlab=skip do not run", async (t) => {
  const r = await podlab(['run', 'test/fixtures/run-labs/text-state', '--reporter', 'json']);
  t.equal(r.exitCode, 0, r.stderr);
  const result = json(r.stdout);
  t.equal(result.platform, 'local', 'the embedded cluster is the local platform');
  t.same(
    result.steps.map((s) => s.status),
    ['pass', 'pass', 'pass', 'pass'],
  );
  const state = step(result, 'use-state').evidence?.state as Record<string, string>;
  t.equal(
    state.greeting,
    'hello from module-4',
    'a variable and a function from module 1, neither overwritten by the AKS or the skipped block',
  );
  t.equal(state.pwd, state.workdir, 'the `cd` of module 1 still holds');
  const blocks = step(result, 'remember').evidence?.blocks as Array<{ at: string; exit: number }>;
  t.same(
    blocks.map((b) => b.at),
    ['test/fixtures/run-labs/text-state/01-state.md:13'],
    'only the block for every platform ran',
  );
  t.same(step(result, 'only-check').evidence?.blocks, undefined, 'a step without blocks types nothing');
  const extra = `${result.namespace}-extra`;
  t.same(
    result.teardown?.evidence?.['namespaces the text made'],
    [extra],
    'the namespace the text made belongs to the run',
  );
  t.ok(await namespaceGone(extra), 'and the teardown removed it');
  t.same(result.teardown?.evidence?.leaked, []);
});

t.test("TAP and JUnit keep each block's output as evidence", async (t) => {
  const dir = t.testdir();
  const r = await podlab([
    'run',
    'test/fixtures/run-labs/text-state',
    '--reporter',
    'junit',
    '--output',
    `${dir}/r.xml`,
  ]);
  t.equal(r.exitCode, 0, r.stderr);
  const xml = readFileSync(`${dir}/r.xml`, 'utf8');
  t.match(
    xml,
    /<system-out>== extra-namespace: test\/fixtures\/run-labs\/text-state\/02-extra\.md:11 \(exit 0\)\nnamespace\/podlab-text-state-[\w-]+-extra created<\/system-out>/,
  );
  const tap = await podlab(['run', 'test/fixtures/run-labs/text-state']);
  t.equal(tap.exitCode, 0, tap.stderr);
  t.match(
    tap.stdout,
    /ok 1 - extra-namespace - A namespace the text makes\n\s+---\n\s+blocks:\n\s+- at: "test\/fixtures\/run-labs\/text-state\/02-extra\.md:11"\n\s+exit: 0/,
  );
  t.equal((await parseTap(tap.stdout)).ok, true, 'still TAP that tap-parser accepts');
});

/** A copy of the Pod Sandboxing lab in a project of its own, with one line of its Markdown changed. */
function brokenCopy(t: Tap.Test, file: string, from: string | RegExp, to: string): string {
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

const hanging = async () => (await execa('pgrep', ['-f', 'sleep 61[37]'], { reject: false })).stdout.trim();

t.test("a block that hangs is ended at the step's timeout, its processes and all", async (t) => {
  const r = await podlab(['run', 'test/fixtures/run-labs/text-hang', '--reporter', 'json'], {
    HANG_TIMEOUT_MS: '4000',
  });
  t.equal(r.exitCode, 1, r.stderr);
  const result = json(r.stdout);
  t.match(
    step(result, 'wait-forever').reason,
    /^test\/fixtures\/run-labs\/text-hang\/01-hang\.md:17: `sleep 613` was stopped: step timed out after 4s/,
  );
  t.equal(await hanging(), '', 'no process of the block is left, not even the one that ignored SIGTERM');
  t.ok(await namespaceGone(`${result.namespace}-hang`), 'the namespace the text made is gone');
  t.equal(result.teardown?.status, 'pass');
});

t.test('SIGINT during a block: the block is stopped and the teardown removes what the text made', async (t) => {
  const child = execa(
    'node',
    [`${repo}bin/podlab.js`, 'run', 'test/fixtures/run-labs/text-hang', '--reporter', 'json'],
    {
      reject: false,
      forceKillAfterDelay: false,
      env,
    },
  );
  for (let i = 0; i < 600 && !(await hanging()); i++) await new Promise((r) => setTimeout(r, 100));
  t.not(await hanging(), '', 'the block is running');
  child.kill('SIGINT');
  const r = await child;
  t.not(r.exitCode, 0);
  const result = json(r.stdout);
  t.match(result.interrupted, /interrupted by SIGINT/);
  t.equal(step(result, 'wait-forever').status, 'fail');
  t.equal(await hanging(), '', 'no process of the block is left');
  t.ok(await namespaceGone(result.namespace), 'the run namespace is gone');
  t.ok(await namespaceGone(`${result.namespace}-hang`), 'the namespace the text made is gone');
  t.same(result.teardown?.evidence?.leaked, []);
});

t.test('--from types the text before it first, unchecked, so the shell has what the attendee would', async (t) => {
  const r = await podlab(['run', 'test/fixtures/run-labs/text-state', '--from', 'use-state', '--reporter', 'json']);
  t.equal(r.exitCode, 0, r.stderr);
  const result = json(r.stdout);
  t.same(
    result.steps.map((s) => s.id),
    ['use-state'],
    'only the selected step is checked and reported',
  );
  const state = step(result, 'use-state').evidence?.state as Record<string, string>;
  t.equal(state.greeting, 'hello from module-4', "module 1's variable and function were typed first");
  const blocks = step(result, 'use-state').evidence?.blocks as Array<{ at: string }>;
  t.same(
    blocks.map((b) => b.at),
    [
      'test/fixtures/run-labs/text-state/01-state.md:13',
      'test/fixtures/run-labs/text-state/02-extra.md:11',
      'test/fixtures/run-labs/text-state/04-use.md:11',
    ],
    'the earlier blocks are in the evidence of the first selected step',
  );
  t.ok(await namespaceGone(`${result.namespace}-extra`), 'what the earlier text made is torn down too');
});
