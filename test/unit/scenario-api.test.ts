// podlab/scenario, the one public surface scenarios program against, pinned as an installed podlab serves it:
// `npm pack` (prepack builds dist/), unpacked as node_modules/podlab of a scratch folder and imported by name
// through package.json "exports". What is pinned is the entry point's names and kinds, values and types, and
// nothing behind them: the modules it re-exports from may change freely as long as the entry point does not.
import t from 'tap';
import ts from 'typescript';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const repo = fileURLToPath(new URL('../..', import.meta.url));
// The scratch folder lies under the checkout (.tap/fixtures), so the package's own dependencies resolve from
// the checkout's node_modules, as they would from a workshop's. Its own package.json keeps `podlab/scenario`
// from resolving to the checkout itself (a package may import itself by name, and that comes first).
const scratch = t.testdir({
  'package.json': JSON.stringify({ name: 'workshop', private: true, type: 'module' }),
  pack: {},
  node_modules: { podlab: {} },
});
const installed = join(scratch, 'node_modules', 'podlab');

/** The runtime names a scenario imports, with `typeof` of each. */
const values: Record<string, string> = {
  cpuVerdict: 'function',
  defineScenario: 'function',
  fail: 'function',
  isLabImage: 'function',
  labImage: 'function',
  memoryVerdict: 'function',
  nodeDevicesAmong: 'function',
  oomVerdict: 'function',
  parsePartitions: 'function',
  pass: 'function',
  podIsRunning: 'function',
  podProblem: 'function',
  profileFor: 'function',
  readPod: 'function',
  skip: 'function',
  standInReason: 'function',
  step: 'function',
  verdict: 'function',
};

/** The type-only names: what a scenario annotates with, and what the functions above take and return. */
const types: Record<string, string> = {
  BlockDevice: 'interface',
  CheckFail: 'interface',
  CheckPass: 'interface',
  CheckResult: 'type',
  CheckSkip: 'interface',
  ExecResult: 'interface',
  OomObservation: 'interface',
  ProfileVerdict: 'interface',
  Reading: 'interface',
  RuntimeProfile: 'interface',
  SandboxRuntime: 'interface',
  Scenario: 'interface',
  StepContext: 'interface',
  StepDefinition: 'interface',
};

t.before(async () => {
  const pack = await execa('npm', ['pack', '--pack-destination', join(scratch, 'pack')], { cwd: repo });
  const tarball = join(scratch, 'pack', pack.stdout.trim().split('\n').pop() ?? '');
  await execa('tar', ['xzf', tarball, '-C', installed, '--strip-components=1']);
});

t.test('the runtime names of the packed entry point, imported as `podlab/scenario`', async (t) => {
  writeFileSync(
    join(scratch, 'probe.mjs'),
    "import * as api from 'podlab/scenario';\n" +
      "console.log(import.meta.resolve('podlab/scenario'));\n" +
      'console.log(JSON.stringify(Object.fromEntries(Object.keys(api).sort().map((k) => [k, typeof api[k]]))));\n',
  );
  const probe = await execa('node', [join(scratch, 'probe.mjs')], { cwd: scratch });
  const [entry, names] = probe.stdout.split('\n');
  t.equal(fileURLToPath(entry), join(installed, 'dist/harness/src/scenario/api.js'), 'the packed entry point');
  t.same(JSON.parse(names), values);
  t.same(Object.keys(JSON.parse(names) as object), Object.keys(values).sort(), 'in this order');
});

/** Each name the packed declarations export from `podlab/scenario`, with what it declares. */
function declared(program: ts.Program, from: string): Record<string, string> {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(from);
  const spec = source?.statements.find(ts.isImportDeclaration)?.moduleSpecifier;
  const module = spec && checker.getSymbolAtLocation(spec);
  if (!module) return {};
  const kind = (s: ts.Symbol): string => {
    const f = checker.getAliasedSymbol(s).flags;
    // A function declared `const f = () => ...` or `function f()` alike: its runtime kind is pinned above.
    if (f & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable)) return 'value';
    if (f & ts.SymbolFlags.Interface) return 'interface';
    if (f & ts.SymbolFlags.TypeAlias) return 'type';
    if (f & ts.SymbolFlags.Class) return 'class';
    return `flags ${f}`;
  };
  const names = checker.getExportsOfModule(module).sort((a, b) => (a.name < b.name ? -1 : 1));
  return Object.fromEntries(names.map((s) => [s.name, kind(s)]));
}

t.test('the declared names, resolved through "exports" by tsc as a scenario is compiled', async (t) => {
  const all = { ...Object.fromEntries(Object.keys(values).map((k) => [k, 'value'])), ...types };
  // A scenario that names every public value and type: it compiles with no error, so each one resolves.
  const probe = join(scratch, 'probe.mts');
  writeFileSync(
    probe,
    `import { ${Object.keys(values).join(', ')} } from 'podlab/scenario';\n` +
      `import type { ${Object.keys(types).join(', ')} } from 'podlab/scenario';\n` +
      `export type Named = [${Object.keys(types).join(', ')}];\n` +
      `export const named = [${Object.keys(values).join(', ')}];\n`,
  );
  const options = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  };
  const program = ts.createProgram([probe], options);
  const errors = ts
    .getPreEmitDiagnostics(program, program.getSourceFile(probe))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  t.same(errors, [], 'the scenario compiles');
  const entry = program.getSourceFiles().find((f) => f.fileName.endsWith('/dist/types/scenario/api.d.ts'));
  t.equal(entry?.fileName, join(installed, 'dist/types/scenario/api.d.ts'), 'the packed declarations');
  // Exactly these names, nothing internal behind them (LOCAL_LAB_IMAGE, PROFILE_TABLES, asCheckResult, ...).
  t.same(declared(program, probe), Object.fromEntries(Object.entries(all).sort(([a], [b]) => (a < b ? -1 : 1))));
});

/** The names imported from podlab/scenario in one file's text (TypeScript or Markdown code blocks). */
function importedNames(text: string): string[] {
  const imports = text.matchAll(/import (?:type )?\{([^}]*)\} from 'podlab\/scenario'/g);
  return [...imports].flatMap((m) => m[1].split(',').map((n) => n.trim().replace(/^type /, ''))).filter(Boolean);
}

t.test("what the repository's scenarios, examples and authoring guide import is all public", async (t) => {
  const files = ['scenarios', 'examples']
    .flatMap((d) => readdirSync(join(repo, d), { recursive: true, encoding: 'utf8' }).map((f) => join(d, f)))
    .filter((f) => /\.(ts|md)$/.test(f))
    .concat('docs/authoring.md');
  const used = new Set(files.flatMap((f) => importedNames(readFileSync(join(repo, f), 'utf8'))));
  t.ok(used.size > 10, `${used.size} names in use`);
  t.same(
    [...used].filter((n) => !(n in values) && !(n in types)),
    [],
    'every name they import is pinned',
  );
});
