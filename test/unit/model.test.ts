import t from 'tap';
import { parseModule } from '../../harness/src/model/parse.js';
import { checkText, MAX_MODULE_BYTES } from '../../harness/src/model/text.js';
import { loadLab } from '../../harness/src/model/load.js';
import { fileURLToPath } from 'node:url';

const fixtures = fileURLToPath(new URL('../fixtures/lint-root', import.meta.url));
const doc = (front: string, body: string) => `---\n${front}\n---\n${body}`;

t.test('steps, levels, commands and positions', async (t) => {
  const { lab, diagnostics } = await loadLab('good', { root: fixtures });
  t.same(diagnostics, []);
  const m = lab!.modules[0]!;
  t.equal(m.frontMatter.id, 'one');
  t.same(
    m.steps.map((s) => [s.id, s.title, s.level, s.pos.line, s.pos.col]),
    [
      ['first-step', 'First step', 2, 10, 15],
      ['second-step', 'Second step', 2, 20, 16],
    ],
  );
  t.equal(m.steps[0]!.commands.length, 1);
  t.same(m.steps[0]!.commands[0], {
    lang: 'bash',
    attrs: {},
    content: 'kubectl get pods\n',
    pos: { file: m.file, line: 12, col: 1 },
  });
  t.match(m.steps[0]!.body, /A detail without id/, 'a deeper heading without id stays inside the step');
  t.equal(m.steps[1]!.body, 'Nothing to type.');
});

t.test('an unknown front matter key is reported on its own line', async (t) => {
  const { module, diagnostics } = parseModule('x.md', doc('title: X\nid: x\ncolour: red', '## S {#s}\n'));
  t.equal(module, undefined);
  t.equal(diagnostics.length, 1);
  t.match(diagnostics[0], { pos: { file: 'x.md', line: 4, col: 1 }, message: 'unknown front matter key `colour`' });
});

t.test('a missing id and a bad duration name their keys', async (t) => {
  const { diagnostics } = parseModule('x.md', doc('title: X\nduration: soon', '## S {#s}\n'));
  t.same(
    diagnostics.map((d) => [d.pos.line, d.message]).sort(),
    [
      [2, 'front matter lacks `id`'],
      [3, '`duration` must match pattern "^[0-9]+(s|m|h)$"'],
    ].sort(),
  );
});

t.test('broken YAML gives the line of the error', async (t) => {
  const { diagnostics } = parseModule('x.md', doc('title: X\nid: [unclosed', '## S {#s}\n'));
  t.equal(diagnostics.length >= 1, true);
  t.match(diagnostics[0]!.message, /not valid YAML/);
  t.equal(diagnostics[0]!.pos.line, 3);
});

t.test('missing front matter', async (t) => {
  const { diagnostics } = parseModule('x.md', '# Title\n\n## S {#s}\n');
  t.match(diagnostics[0], { pos: { line: 1 }, message: 'missing front matter' });
});

t.test('an unclosed fence is reported where it opens', async (t) => {
  const { diagnostics } = parseModule('x.md', doc('title: X\nid: x', '\n## S {#s}\n\n```bash\nkubectl get pods\n'));
  t.match(diagnostics, [{ pos: { line: 8, col: 1 }, message: 'code fence opened here is never closed' }]);
});

t.test('duplicate and non-kebab step ids', async (t) => {
  const { diagnostics } = parseModule(
    'x.md',
    doc('title: X\nid: x', '\n## A {#same}\n\n## B {#same}\n\n## C {#Not_Kebab}\n'),
  );
  t.same(
    diagnostics.map((d) => [d.pos.line, d.message]),
    [
      [10, 'step id `Not_Kebab` is not kebab-case'],
      [8, 'duplicate step id `same` (first at line 6)'],
    ],
  );
});

t.test('a module without steps, and weights for unknown steps', async (t) => {
  const { diagnostics } = parseModule('x.md', doc('title: X\nid: x\nweights:\n  ghost: 2', '\nNo steps here.\n'));
  t.same(diagnostics.map((d) => d.message).sort(), [
    'module has no steps',
    'weights name step `ghost`, which this module does not have',
  ]);
});

t.test('binary, non-UTF-8 and oversized files are refused before parsing', async (t) => {
  t.match(checkText('b.md', Buffer.from('---\ntitle: x\n\0\x01')).diagnostics[0], {
    pos: { line: 3 },
    message: /NUL byte/,
  });
  t.match(checkText('u.md', Buffer.from([0x2d, 0xff, 0xfe, 0x0a])).diagnostics[0]?.message, /not valid UTF-8/);
  t.match(
    checkText('h.md', Buffer.alloc(MAX_MODULE_BYTES + 1, 'a')).diagnostics[0]?.message,
    /over the 1048576-byte limit/,
  );
  t.equal(checkText('ok.md', Buffer.from('fine')).text, 'fine');
});

t.test('an unknown lab is an error, not a throw', async (t) => {
  const { lab, diagnostics } = await loadLab('no-such-lab', { root: fixtures });
  t.equal(lab, undefined);
  t.match(diagnostics[0]?.message, 'no such lab');
});
