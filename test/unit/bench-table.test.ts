// The bench's table: ratios and shares rendered, targets marked, and the docs section rewritten in place.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { markdownTable, median, recordTable } from '../../bench/table.js';

t.test('median of odd and even counts', async (t) => {
  t.equal(median([5, 1, 3]), 3);
  t.equal(median([4, 1, 3, 2]), 2.5);
});

t.test('a row shows its ratio or share, its target and whether it was met', async (t) => {
  const table = markdownTable([
    { what: 'lab', podlab: '40.0 s', baseline: '60.0 s', ratio: 40 / 60, target: '≤ 0.6×', met: false },
    { what: 'cpu', podlab: '2.00 s CPU', baseline: '', share: 0.042, target: '≤ 5%', met: true },
    { what: 'help', podlab: '150 ms', baseline: '60 ms', ratio: 2.5 },
  ]);
  const lines = table.trim().split('\n');
  t.equal(lines.length, 5, 'header, rule, three rows');
  t.equal(lines[2], '| lab | 40.0 s | 60.0 s | 0.67× | ≤ 0.6× | missed |');
  t.equal(lines[3], '| cpu | 2.00 s CPU |  | 4.2% | ≤ 5% | met |');
  t.equal(lines[4], '| help | 150 ms | 60 ms | 2.50× |  |  |');
});

t.test('recording replaces only the marked section, and refuses a file without one', async (t) => {
  const dir = t.testdir({
    'perf.md': '# P\n\nbefore\n<!-- bench:begin -->\nold\n<!-- bench:end -->\nafter\n',
    'plain.md': '# nothing\n',
  });
  recordTable(`${dir}/perf.md`, '| a |\n', 'today on this machine');
  t.equal(
    readFileSync(`${dir}/perf.md`, 'utf8'),
    '# P\n\nbefore\n<!-- bench:begin -->\n| a |\n\nMeasured today on this machine.\n<!-- bench:end -->\nafter\n',
  );
  recordTable(`${dir}/perf.md`, '| b |\n', 'again');
  t.match(
    readFileSync(`${dir}/perf.md`, 'utf8'),
    /begin -->\n\| b \|\n\nMeasured again\.\n<!-- bench:end -->\nafter\n$/,
    'twice in a row',
  );
  t.throws(() => recordTable(`${dir}/plain.md`, '| a |\n', 'x'), /no <!-- bench:begin -->/);
});
