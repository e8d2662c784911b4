// docs/authoring.md is held to the code: its TypeScript examples are type-checked against the real
// `podlab/scenario` API, and its Markdown lab examples are linted as a lab (with the guide's own scenario), so a
// guide that falls behind the code fails `npm test`.
import t from 'tap';
import MarkdownIt from 'markdown-it';
import ts from 'typescript';
import { fileURLToPath } from 'node:url';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintPaths, formatDiagnostic } from '../../harness/src/lint/lint.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const guide = 'docs/authoring.md';

interface Example {
  lang: string;
  line: number;
  text: string;
}

const examples: Example[] = new MarkdownIt()
  .parse(readFileSync(join(repo, guide), 'utf8'), {})
  .filter((tok) => tok.type === 'fence')
  .map((tok) => ({ lang: tok.info.trim().split(/\s+/)[0] ?? '', line: (tok.map?.[0] ?? 0) + 1, text: tok.content }));
const tsExamples = examples.filter((e) => e.lang === 'ts' || e.lang === 'typescript');
const mdExamples = examples.filter((e) => e.lang === 'markdown' || e.lang === 'md');

t.test('the guide has examples of both kinds', async (t) => {
  t.ok(tsExamples.length >= 2, `${tsExamples.length} TypeScript examples`);
  t.ok(
    mdExamples.some((e) => e.text.startsWith('---\n')),
    'a whole module among the Markdown examples',
  );
});

t.test('every TypeScript example type-checks against podlab/scenario', async (t) => {
  const dir = t.testdir();
  const files = tsExamples.map((e) => {
    const file = join(dir, `example-line-${e.line}.ts`);
    writeFileSync(file, e.text);
    return { file, e };
  });
  const program = ts.createProgram(
    files.map((f) => f.file),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
      paths: { 'podlab/scenario': [join(repo, 'harness/src/scenario/api.ts')] },
    },
  );
  const problems = ts.getPreEmitDiagnostics(program).map((d) => {
    const at = files.find((f) => f.file === d.file?.fileName);
    const where = at && d.start !== undefined ? d.file!.getLineAndCharacterOfPosition(d.start).line : 0;
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    return at ? `${guide}:${at.e.line + 1 + where}: ${text}` : `${d.file?.fileName ?? '?'}: ${text}`;
  });
  t.same(problems, [], 'no type errors in the guide');
});

t.test("the Markdown examples, as one lab with the guide's scenario, lint clean", async (t) => {
  const root = t.testdir({ labs: { guide: {} }, scenarios: { 'hello-pod': {} }, manifests: { 'hello-pod': {} } });
  const module = mdExamples.find((e) => e.text.startsWith('---\n'))!;
  // The other Markdown examples are fragments of a step's body: they join the module's last step.
  const fragments = mdExamples.filter((e) => e !== module).map((e) => e.text);
  writeFileSync(join(root, 'labs/guide/01-hello.md'), [module.text, ...fragments].join('\n'));
  const scenario = tsExamples.find((e) => e.text.includes('defineScenario('));
  t.ok(scenario, 'the guide shows a whole scenario');
  writeFileSync(join(root, 'scenarios/hello-pod/hello.ts'), scenario!.text);
  mkdirSync(join(root, 'manifests/hello-pod'), { recursive: true });
  copyFileSync(join(repo, 'manifests/hello-pod/pod.yaml'), join(root, 'manifests/hello-pod/pod.yaml'));
  const found = (await lintPaths([join(root, 'labs/guide')], { root })).map((d) => formatDiagnostic(d));
  t.same(found, [], `${guide}'s Markdown examples lint clean`);
});
