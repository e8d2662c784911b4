// Output blocks in a lab: their fence marks, what they belong to, and what lint says about them. No cluster.
import t from 'tap';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { execa } from 'execa';
import { parseInfo } from '../../harness/src/model/fences.js';
import { blockFate } from '../../harness/src/plan/blocks.js';
import { lintPaths } from '../../harness/src/lint/lint.js';
import type { CodeBlock } from '../../harness/src/model/types.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const block = (info: string): CodeBlock => ({
  ...parseInfo(info),
  content: 'x\n',
  pos: { file: 'x.md', line: 3, col: 1 },
});

t.test('podlab=output, for every platform or the ones named', async (t) => {
  t.same(blockFate(block('text podlab=output')), { fate: { kind: 'output', platforms: ['local', 'aks', 'other'] } });
  t.same(blockFate(block('text podlab=output:aks')), { fate: { kind: 'output', platforms: ['aks'] } });
  t.same(blockFate(block('text title="AKS" podlab=output:local,other')).fate, {
    kind: 'output',
    platforms: ['local', 'other'],
  });
  t.match(blockFate(block('text podlab=output:mars')).diagnostic, { message: 'unknown podlab=output:mars' });
  t.match(blockFate(block('bash podlab=output')).diagnostic, { message: /an output block is not a command/ });
});

/** A one-module lab whose single step holds `body`; returns lint's findings as `line:col message`. */
async function lintStep(t: Tap.Test, body: string): Promise<string[]> {
  const define = `${repo}harness/src/scenario/define.js`;
  const dir = t.testdir({
    labs: { l: { 'lab.md': `---\ntitle: L\nid: l\nscenario: scenarios/s.ts\n---\n\n## Step {#step}\n\n${body}` } },
    scenarios: {
      's.ts':
        `import { defineScenario, step } from '${define}';\n` +
        `export default defineScenario('l', [step({ id: 'step', title: 'S', check: async () => ({ status: 'pass' as const }) })]);\n`,
    },
  });
  const found = await lintPaths([`${dir}/labs/l`], { root: dir });
  return found.map((d) => `${relative(`${dir}/labs/l`, d.pos.file)}:${d.pos.line}:${d.pos.col} ${d.message}`);
}

const fence = (info: string, text: string) => `\`\`\`${info}\n${text}\`\`\`\n\n`;

t.test('an output block follows a shell block; prose and further output blocks may stand between', async (t) => {
  const ok = fence('bash', 'echo hi\n') + 'It prints:\n\n' + fence('text podlab=output:local', 'hi\n');
  t.same(await lintStep(t, ok + fence('text podlab=output:aks', 'hi\n')), []);
  t.same(await lintStep(t, fence('bash podlab=skip', 'az login\n') + fence('text podlab=output', '[..]\n')), []);
  t.same(await lintStep(t, fence('text podlab=output', 'alone\n')), [
    'lab.md:9:1 this output block follows no shell block in its step',
  ]);
  t.same(
    await lintStep(t, fence('bash', 'cat x.yaml\n') + fence('yaml', 'a: 1\n') + fence('text podlab=output', 'a\n')),
    ['lab.md:17:1 this output block follows no shell block in its step'],
  );
  t.same(await lintStep(t, ok + fence('text podlab=output', 'hi\n')), [
    'lab.md:19:1 a second output block for local after the block at line 9',
  ]);
});

t.test('patterns must compile: file:line:col of the pattern line', async (t) => {
  const body = fence('bash', 'echo hi\n') + fence('text podlab=output', 'hi\n[..]\nx(a+)+ (re)\n');
  t.same(await lintStep(t, body), [
    'lab.md:16:2 output pattern does not compile: the pattern repeats a group that itself repeats or has alternatives',
  ]);
  const open = fence('bash', 'echo hi\n') + fence('text podlab=output', '(open (re)\n');
  t.same(await lintStep(t, open), ['lab.md:14:1 output pattern does not compile: Unterminated group']);
});

t.test('podlab lint exits 2 on a bad output block', async (t) => {
  const dir = t.testdir({
    'bad.md': '---\ntitle: Bad\nid: bad\n---\n\n## S {#s}\n\n```text podlab=output\n(re (re)\n```\n',
  });
  const r = await execa('node', [`${repo}/bin/podlab.js`, 'lint', `${dir}/bad.md`], { reject: false });
  t.equal(r.exitCode, 2);
  t.match(r.stderr, /bad\.md:8:1 error: this output block follows no shell block in its step/);
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
