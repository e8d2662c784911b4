// The hostile corpus, what reaches a terminal or a spreadsheet (issue 23, class 4): names chosen by an attendee
// or a careless instructor must not become a formula in the instructor's spreadsheet or rewrite their terminal.
import t from 'tap';
import { toCsv, type GradeMatrix } from '../../harness/src/grade/matrix.js';

const row = (attendee: string, namespace = attendee) => ({
  attendee,
  namespace,
  reachable: true,
  cells: { a: { status: 'pass' as const } },
  score: 1,
  maxScore: 1,
});

t.test('CSV: a cell that a spreadsheet would take for a formula is kept as text', async (t) => {
  const hostile = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\r=1'];
  const m = {
    lab: 'l',
    steps: [{ id: 'a', module: 'm', weight: 1 }],
    attendees: [...hostile.map((h) => row(h)), row('ana-b', '-ns')],
    generatedAt: '2026-12-05T10:00:00Z',
  } as unknown as GradeMatrix;
  const lines = toCsv(m).split('\r\n');
  for (const [i, h] of hostile.entries()) {
    const first = lines[i + 1]!;
    t.notMatch(first, /^"?[=+\-@\t\r]/, `${JSON.stringify(h)} does not start a formula: ${JSON.stringify(first)}`);
    t.match(first, /^"?'/, 'it begins with an apostrophe');
  }
  t.match(
    lines.at(-2),
    /^ana-b,'-ns,true,pass,1,1$/,
    'a namespace too; numbers stay numbers, plain names stay as they are',
  );
});
