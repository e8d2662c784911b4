// Output blocks: the matcher, its diff and the rewrite --update-outputs makes. Pure logic, no cluster.
import t from 'tap';
import { compareOutput } from '../../harness/src/plan/output-match.js';
import { linesOf, nestedQuantifier, parseExpected, PatternError } from '../../harness/src/plan/output-patterns.js';
import { unifiedDiff } from '../../harness/src/plan/unified-diff.js';
import { rewriteBlocks } from '../../harness/src/plan/output-rewrite.js';

const compare = (expected: string, actual: string) => compareOutput(parseExpected(expected), linesOf(actual));
const ok = (expected: string, actual: string) => compare(expected, actual).ok;

t.test('literal lines match exactly, trailing blanks and the final newline aside', async (t) => {
  t.ok(ok('pod/a created\n', 'pod/a created\n'));
  t.ok(ok('pod/a created   \n', 'pod/a created'));
  t.ok(ok('', ''), 'an empty block expects no output');
  t.notOk(ok('', 'something\n'));
  t.notOk(ok('pod/a created\n', 'pod/b created\n'));
  t.notOk(ok('a\nb\n', 'a\n'), 'a missing line');
  t.notOk(ok('a\n', 'a\nb\n'), 'an extra line');
  t.ok(ok('a\r\nb\r\n', 'a\nb\n'), 'CRLF in the Markdown');
});

t.test('[..] stands for anything within one line', async (t) => {
  t.ok(ok('pod/[..] created\n', 'pod/sandboxed-7f9c created\n'));
  t.ok(ok('[..]\n', 'anything at all\n'));
  t.ok(ok('[..]\n', '\n'), 'even nothing');
  t.ok(ok('a[..]b[..]c\n', 'a-x-b-y-c\n'));
  t.ok(ok('ab[..]ba\n', 'aba\n') === false, 'prefix and suffix may not overlap');
  t.ok(ok('a[..]a[..]a\n', 'aaa\n'));
  t.notOk(ok('a[..]a[..]a\n', 'aa\n'));
  t.notOk(ok('pod/[..] created\n', 'pod/x deleted\n'));
  t.notOk(ok('[..]\n', 'one\ntwo\n'), 'never more than one line');
});

t.test('a line ending in (re) is a regular expression for the whole line', async (t) => {
  t.ok(ok('10\\.\\d+\\.\\d+\\.\\d+ (re)\n', '10.244.0.17\n'));
  t.notOk(ok('10\\.\\d+ (re)\n', '10.244 and more\n'), 'anchored at both ends');
  t.ok(ok('(Running|Pending) (re)\n', 'Running\n'));
  t.ok(ok('uid: [0-9a-f-]{36} (re)\n', 'uid: 0b6f1d2e-9a3c-4c55-8e0f-2f7b8f3c9a10\n'));
  t.ok(ok('a|b (re)\n', 'b\n'), 'alternatives are grouped, so the anchors hold for each');
  t.notOk(ok('a|b (re)\n', 'xb\n'));
});

t.test('... stands for any number of lines, none included', async (t) => {
  t.ok(ok('first\n...\nlast\n', 'first\nx\ny\nlast\n'));
  t.ok(ok('first\n...\nlast\n', 'first\nlast\n'));
  t.ok(ok('...\n', 'a\nb\nc\n'));
  t.ok(ok('...\n', ''));
  t.ok(ok('...\nlast\n', 'a\nlast\nb\nlast\n'), 'an elision can pass over a line its next line matches');
  t.notOk(ok('first\n...\nlast\n', 'first\nx\n'));
  t.ok(ok('  ...\n', 'a\n'), 'indented, as under a list');
});

t.test('the normalized output keeps the author’s patterns where they match', async (t) => {
  const c = compare(
    'NAME[..]\n...\npod/[..] created\nready in \\d+s (re)\n',
    'NAME  READY\nx\ny\npod/a created\nready in 2.5s\n',
  );
  t.notOk(c.ok);
  t.same(c.normalized, ['NAME[..]', '...', 'pod/[..] created', 'ready in 2.5s']);
  t.same(c.unmatched, [4], 'the (re) line is the one that no longer matches');
  const same = compare('a\n...\nc\n', 'a\nb\nc\n');
  t.same(same.normalized, ['a', '...', 'c']);
  t.same(same.unmatched, []);
});

t.test('an inserted or removed line is one difference, not a cascade', async (t) => {
  const c = compare('one\ntwo [..]\nthree\nfour\n', 'one\nnew\ntwo 2\nthree\nfour\n');
  t.same(c.normalized, ['one', 'new', 'two [..]', 'three', 'four']);
  const d = compare('one\ntwo\nthree\n', 'one\nthree\n');
  t.same(d.normalized, ['one', 'three']);
  t.same(d.unmatched, [2]);
});

t.test('patterns that do not compile, or would backtrack without end, are refused with their line', async (t) => {
  t.throws(() => parseExpected('ok\n(unclosed (re)\n'), { line: 2, message: 'Unterminated group' });
  try {
    parseExpected('ok\nfine\n(a+)+$ (re)\n');
    t.fail('should throw');
  } catch (e) {
    t.ok(e instanceof PatternError);
    t.equal((e as PatternError).line, 3);
    t.equal((e as PatternError).col, 1);
  }
  t.equal(nestedQuantifier('(a+)+'), 0);
  t.equal(nestedQuantifier('x(\\d*)*'), 1);
  t.equal(nestedQuantifier('((a|b)c)*'), 0, 'alternatives inside a repeated group');
  t.equal(nestedQuantifier('(a|aa){2,}'), 0);
  t.equal(nestedQuantifier('(?:x+)?'), undefined, 'an optional group is not a repetition');
  t.equal(nestedQuantifier('(ab)+\\d+[(+)]*'), undefined);
  t.equal(nestedQuantifier('\\(a+\\)+'), undefined, 'escaped parentheses are no group');
  t.equal(nestedQuantifier('(Running|Pending)'), undefined);
});

t.test('hostile output takes linear time', async (t) => {
  const expected = parseExpected('start\n...\n[..]a[..]a[..]a[..]b\n\\w+\\d (re)\n...\nend\n');
  const long = 'a'.repeat(200_000);
  const lines = [
    ...Array.from({ length: 2_000 }, () => 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'),
    long,
  ];
  let started = Date.now();
  t.notOk(compareOutput(expected, lines).ok);
  t.ok(Date.now() - started < 2_000, `2001 lines, one of 200 000 characters: ${Date.now() - started} ms`);
  started = Date.now();
  const many = Array.from({ length: 200_000 }, (_, i) => `line ${i}`);
  t.ok(compareOutput(parseExpected('...\nline 199999\n'), many).ok, 'too many lines for the table: one pass');
  t.ok(Date.now() - started < 2_000, `200 000 lines: ${Date.now() - started} ms`);
});

t.test('unified diff: expected from the Markdown, actual from the run', async (t) => {
  t.equal(unifiedDiff(['a', 'b'], ['a', 'b'], 'x', 'y'), '');
  t.equal(
    unifiedDiff(
      ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
      ['1', '2', '3', '4', 'five', '6', '7', '8', '9'],
      'e',
      'a',
    ),
    ['--- e', '+++ a', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8'].join('\n'),
  );
  t.equal(unifiedDiff([], ['new'], 'e', 'a'), ['--- e', '+++ a', '@@ -0,0 +1 @@', '+new'].join('\n'));
  const far = unifiedDiff(['x', ...'abcdefghij'.split(''), 'y'], ['X', ...'abcdefghij'.split(''), 'Y'], 'e', 'a');
  t.equal(far.split('\n').filter((l) => l.startsWith('@@')).length, 2, 'changes far apart are two hunks');
});

t.test('the rewrite touches only the output block’s lines', async (t) => {
  const text = ['# t', '', '```bash', 'echo hi', '```', '', '```text podlab=output', 'old', '```', 'prose', ''].join(
    '\n',
  );
  const block = { lang: 'text', attrs: { podlab: 'output' }, content: 'old\n', pos: { file: 'm.md', line: 7, col: 1 } };
  const r = rewriteBlocks(text, [{ block, lines: ['hi', '...'] }]);
  t.same(r.stale, []);
  t.equal(r.text, text.replace('\nold\n', '\nhi\n...\n'));
  const indented = ['1. run', '', '   ```text podlab=output', '   old', '   ```', ''].join('\n');
  const inList = { ...block, pos: { ...block.pos, line: 3 } };
  t.equal(
    rewriteBlocks(indented, [{ block: inList, lines: ['new', ''] }]).text,
    indented.replace('   old', '   new\n'),
  );
  const changed = rewriteBlocks(text.replace('\nold\n', '\nedited\n'), [{ block, lines: ['hi'] }]);
  t.same(changed.stale, [block], 'a block edited meanwhile is left alone');
  const empty = { ...block, content: '' };
  t.equal(
    rewriteBlocks(text.replace('\nold\n', '\n'), [{ block: empty, lines: ['x'] }]).text,
    text.replace('\nold\n', '\nx\n'),
  );
});
