// Output blocks on the cluster: a small lab whose documented output is compared with a real run, broken one line
// at a time in a copy of it. Each run is a ConfigMap, a few seconds.
import t from 'tap';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import type { RunResult, StepResult } from '../../harness/src/report/model.js';
import { parseTap } from '../helpers/tap.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const LAB = 'test/fixtures/run-labs/outputs';
const FILE = `${LAB}/01-outputs.md`;
const original = readFileSync(join(repo, FILE), 'utf8');
const lineOf = (text: string) => original.split('\n').indexOf(text) + 1;
const podlab = (project: string, args: string[]) =>
  execa('node', [`${repo}bin/podlab.js`, ...args], {
    cwd: project,
    reject: false,
    env: { KUBECONFIG: EMBEDDED_KUBECONFIG },
  });
const step = (stdout: string, id: string) => (JSON.parse(stdout) as RunResult).steps.find((s) => s.id === id)!;
const outputsOf = (s: StepResult) =>
  (s.evidence?.blocks as Array<{ outputs?: Array<Record<string, unknown>> }>).flatMap((b) => b.outputs ?? []);

/** The fixture lab in a project of its own, with one line of its Markdown changed. */
function copyWith(t: Tap.Test, from: string, to: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'podlab-outputs-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(repo, LAB), join(dir, LAB), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "name": "outputs-workshop", "private": true }\n');
  if (!original.includes(from)) throw new Error(`${FILE}: no ${from}`);
  writeFileSync(join(dir, FILE), original.replace(from, to));
  return dir;
}

// The output block of make-config: its opening fence, and its second line.
const block = lineOf('```text podlab=output:local');
const changed = copyWith(t, 'configmap/facts created\nblue\n', 'configmap/facts created\ngreen\n');

t.test('one changed expected line fails its step with the diff, at the output block’s file:line', async (t) => {
  const r = await podlab(changed, ['run', LAB, '--reporter', 'json']);
  t.equal(r.exitCode, 1, r.stderr);
  const made = step(r.stdout, 'make-config');
  t.equal(made.status, 'fail');
  t.equal(made.reason, `${FILE}:${block}: the output differs from this output block`);
  t.match(made.actual, `--- expected (${FILE}:${block})\n+++ actual (this run)\n`);
  t.match(made.actual, '\n configmap/facts created\n-green\n+blue');
  t.match(made.hint, /--update-outputs/);
  t.same(
    outputsOf(made).map((o) => [o.output, o.matches]),
    [[`${FILE}:${block}`, false]],
  );

  const tap = await podlab(changed, ['run', LAB, '--step', 'make-config']);
  t.equal(tap.exitCode, 1, tap.stderr);
  t.match(tap.stdout, `not ok 1 - make-config - Make a ConfigMap`);
  t.match(tap.stdout, `${FILE}:${block}: the output differs from this output block`);
  t.match(tap.stdout, '-green\\n+blue', 'the diff, in the YAML block');
  t.equal((await parseTap(tap.stdout)).ok, false, 'TAP that tap-parser reads, failing');

  const junit = await podlab(changed, ['run', LAB, '--step', 'make-config', '--reporter', 'junit']);
  t.equal(junit.exitCode, 1, junit.stderr);
  t.match(junit.stdout, new RegExp(`<failure message="${FILE}:${block}: the output differs from this output block"`));
  t.match(junit.stdout, `  --- expected (${FILE}:${block})\n`);
  t.match(junit.stdout, '\n  -green\n  +blue\n', 'the diff, in the failure');
});

t.test('--update-outputs restores the block, and only it; a second run is green', async (t) => {
  const update = await podlab(changed, ['run', LAB, '--update-outputs']);
  t.equal(update.exitCode, 0, update.stderr);
  t.match(update.stderr, `--- a/${FILE}\n+++ b/${FILE}\n`);
  t.match(update.stderr, '\n configmap/facts created\n-green\n+blue\n');
  t.equal(
    readFileSync(join(changed, FILE), 'utf8'),
    original,
    'the file is as written: the [..] lines, the AKS block and the block after podlab=skip untouched',
  );

  const again = await podlab(changed, ['run', LAB, '--reporter', 'json']);
  t.equal(again.exitCode, 0, again.stderr);
  t.same(
    outputsOf(step(again.stdout, 'make-config')),
    [{ output: `${FILE}:${block}`, matches: true }],
    'the AKS block is not compared on the local cluster',
  );
  t.same(
    outputsOf(step(again.stdout, 'read-config')),
    [{ output: `${FILE}:${lineOf('```text podlab=output')}`, matches: true }],
    'the output block after the podlab=skip block is never compared',
  );
});

t.test('a pattern line that no longer matches is named as such, at its own line', async (t) => {
  const dir = copyWith(t, 'namespace: [..]\n', 'ns: [..]\n');
  const r = await podlab(dir, ['run', LAB, '--reporter', 'json']);
  t.equal(r.exitCode, 1, r.stderr);
  const read = step(r.stdout, 'read-config');
  t.equal(read.status, 'fail');
  const at = `${FILE}:${lineOf('namespace: [..]')}`;
  t.match(read.actual, `\n${at}: pattern matches no line: ns: [..]`);
  t.same(outputsOf(read)[0]?.patterns, [`${at}: pattern matches no line: ns: [..]`]);
  t.equal(step(r.stdout, 'make-config').status, 'pass', 'the step before it is untouched');
});
