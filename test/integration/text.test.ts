// The lab text is what runs: each step's shell blocks typed into one shell, on the embedded cluster. This file is
// the text as written working: state carried across modules, each block's output as evidence, and --from.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { parseTap } from '../helpers/tap.js';
import { json, namespaceGone, podlab, step } from '../helpers/text-run.js';

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
