import t from 'tap';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { execa } from 'execa';
import { lintPaths, formatDiagnostic } from '../../harness/src/lint/lint.js';

const root = fileURLToPath(new URL('../fixtures/lint-root', import.meta.url));
const repo = fileURLToPath(new URL('../..', import.meta.url));

t.test('a paired lab lints clean', async (t) => {
  t.same(await lintPaths([`${root}/labs/good`], { root }), []);
});

t.test('unpaired steps and missing manifests are found on both sides', async (t) => {
  const found = (await lintPaths([`${root}/labs/broken`], { root }))
    .map((d) => `${relative(root, d.pos.file)}:${d.pos.line}:${d.pos.col} ${d.message}`).sort();
  t.same(found, [
    'labs/broken/01-pairing.md:10:18 manifest manifests/missing.yaml does not exist',
    'labs/broken/01-pairing.md:7:20 step `only-in-lab` has no scenario step in scenarios/broken/pairing.ts',
    'scenarios/broken/pairing.ts:1:1 scenario step `only-in-scenario` has no step in ' + relative(process.cwd(), `${root}/labs/broken/01-pairing.md`),
  ].sort());
});

t.test('formatDiagnostic prints file:line:col, the message and what to do', async (t) => {
  t.equal(formatDiagnostic({ pos: { file: `${process.cwd()}/a.md`, line: 3, col: 7 }, message: 'bad', hint: 'fix it', severity: 'error' }),
    'a.md:3:7 error: bad (fix it)');
});

t.test('the repository labs lint clean through the CLI (exit 0)', async (t) => {
  const r = await execa('node', [`${repo}/bin/podlab.js`, 'lint', `${repo}/labs`], { reject: false });
  t.equal(r.exitCode, 0, r.stderr);
});

t.test('a bad lab exits 2 with file:line:col lines and no stack trace', async (t) => {
  const dir = t.testdir({ 'bad.md': '---\ntitle: Bad\nid: bad\nsidebar_positon: 1\n---\n\n## S {#s}\n\n```bash\nkubectl get pods\n' });
  const r = await execa('node', [`${repo}/bin/podlab.js`, 'lint', `${dir}/bad.md`], { reject: false });
  t.equal(r.exitCode, 2);
  t.match(r.stderr, /bad\.md:4:1 error: unknown front matter key `sidebar_positon`/);
  t.match(r.stderr, /bad\.md:9:1 error: code fence opened here is never closed/);
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
