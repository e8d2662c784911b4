// An ESLint rule, `podlab/no-unused-exports`: an export that no module, test, bench or script imports is an ESLint
// error at its line. The project-wide import graph comes from knip (knip.jsonc), run once per ESLint process:
// import-x's no-unused-modules cannot do it on ESLint 10, which removed the FileEnumerator it needs (the plugin's
// maintainers call the rule a no-op there, un-ts/eslint-plugin-import-x#438).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const KINDS = ['exports', 'types', 'nsExports', 'nsTypes'];
/** per project folder: ESLint's cwd */
const unused = new Map();

/** file (relative to the project) → the exports knip found unused in it, run once per process. */
function unusedExports(cwd) {
  if (unused.has(cwd)) return unused.get(cwd);
  // knip's package exports no bin path: its entry point is dist/index.js, the CLI is bin/knip.js beside dist/
  const knip = join(dirname(createRequire(import.meta.url).resolve('knip')), '..', 'bin', 'knip.js');
  const out = execFileSync(process.execPath, [knip, '--reporter', 'json', '--no-exit-code', '--no-progress'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const byFile = new Map();
  unused.set(cwd, byFile);
  for (const issue of JSON.parse(out).issues ?? [])
    byFile.set(
      issue.file,
      KINDS.flatMap((kind) => (issue[kind] ?? []).map((e) => ({ ...e, kind }))),
    );
  return byFile;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'an export nothing imports (found by knip over the whole project)' },
    messages: {
      unused:
        "'{{name}}' is exported but nothing imports it ({{kind}}): make it local, or remove it. A name for scenario " +
        'authors belongs in harness/src/scenario/api.ts.',
    },
    schema: [],
  },
  create(context) {
    return {
      Program() {
        const file = relative(context.cwd, context.filename).split('\\').join('/');
        for (const e of unusedExports(context.cwd).get(file) ?? [])
          context.report({
            loc: { line: e.line, column: Math.max(0, e.col - 1) },
            messageId: 'unused',
            data: { name: e.name, kind: e.kind },
          });
      },
    };
  },
};

export default { rules: { 'no-unused-exports': rule } };
