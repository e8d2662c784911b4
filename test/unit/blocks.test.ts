// Fence info strings and what becomes of each block: pure logic, no cluster.
import t from 'tap';
import { parseInfo } from '../../harness/src/model/fences.js';
import { blockFate, runsOn } from '../../harness/src/plan/blocks.js';
import type { CodeBlock } from '../../harness/src/model/types.js';

const block = (info: string): CodeBlock => ({
  ...parseInfo(info),
  content: 'true\n',
  pos: { file: 'x.md', line: 7, col: 1 },
});

t.test('info strings: the language, then Docusaurus-style attributes', async (t) => {
  t.same(parseInfo('bash'), { lang: 'bash', attrs: {} });
  t.same(parseInfo('  Bash  title="AKS only" podlab=aks  '), {
    lang: 'bash',
    attrs: { title: 'AKS only', podlab: 'aks' },
  });
  t.same(parseInfo("sh podlab='local,aks' showLineNumbers"), {
    lang: 'sh',
    attrs: { podlab: 'local,aks', showLineNumbers: '' },
  });
  t.same(parseInfo(''), { lang: '', attrs: {} });
});

t.test('fates: runnable everywhere, per platform, never, or not a command', async (t) => {
  t.same(blockFate(block('bash')).fate, { kind: 'run', platforms: ['local', 'aks', 'other'] });
  t.same(blockFate(block('shell title="AKS" podlab=aks')).fate, { kind: 'run', platforms: ['aks'] });
  t.same(blockFate(block('bash podlab=aks,local')).fate, { kind: 'run', platforms: ['aks', 'local'] });
  t.same(blockFate(block('bash podlab=skip')), { fate: { kind: 'skip' } });
  t.same(blockFate(block('console podlab=skip')), { fate: { kind: 'skip' } }, 'a transcript marked skip is fine');
  t.same(blockFate(block('yaml')), { fate: { kind: 'doc' } });
  t.ok(runsOn(blockFate(block('bash podlab=local')).fate, 'local'));
  t.notOk(runsOn(blockFate(block('bash podlab=local')).fate, 'aks'));
  t.notOk(runsOn(blockFate(block('bash podlab=skip')).fate, 'local'));
});

t.test('blocks no run could type are errors at the fence, with what to write instead', async (t) => {
  const problem = (info: string) => blockFate(block(info)).diagnostic;
  t.match(problem('console'), {
    pos: { line: 7 },
    message: 'a `console` block cannot be run as written',
    hint: /```console podlab=skip/,
  });
  t.match(problem(''), { message: 'a fenced block without a language', hint: /```bash runs it/ });
  t.match(problem('bash podlab=nightly'), { message: 'unknown podlab=nightly' });
  t.match(problem('yaml podlab=local'), { message: /only bash, sh and shell blocks run/ });
  t.equal(problem('bash'), undefined);
});
