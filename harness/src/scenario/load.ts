// Imports scenario modules (TypeScript or JavaScript) at run time: authors need no build step. esbuild
// bundles each scenario with its relative imports (its lab's lib.ts) and podlab's scenario API (`podlab/scenario`); packages
// stay imports, pinned to the files they resolve to from the scenario's own folder. The result lands in
// podlab's cache under a name taken from its content, with an inline source map, so that errors and stack
// traces point at the scenario's own lines. (This replaced tsx's loader hooks, which cost about 0.5 s of CPU
// per command.)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Loader, Plugin } from 'esbuild';
import type { Diagnostic } from '../model/types.js';
import { cacheDir, repoRoot } from '../paths.js';
import type { Scenario } from './types.js';

type Loaded = { scenario?: Scenario; diagnostics: Diagnostic[] };
type Esbuild = typeof import('esbuild');

const cache = new Map<string, Promise<Loaded>>();
let compiling = 0;

export async function loadScenario(file: string): Promise<Loaded> {
  return (await loadScenarios([file])).get(file)!;
}

/** Loads several scenarios at once: one esbuild service compiles them side by side. */
export async function loadScenarios(files: string[]): Promise<Map<string, Loaded>> {
  const esbuild = await import('esbuild');
  compiling++;
  try {
    for (const file of files) if (!cache.has(file)) cache.set(file, importScenario(esbuild, file));
    const loaded = new Map<string, Loaded>();
    for (const file of files) loaded.set(file, await cache.get(file)!);
    return loaded;
  } finally {
    // esbuild compiles in a service process. Stopping it once nothing compiles means a long run does not keep
    // it around, and its CPU time is counted as podlab's own (the process is reaped while podlab runs).
    if (--compiling === 0) await esbuild.stop();
  }
}

const problem = (file: string, message: string, hint: string, line = 1, col = 1): Diagnostic => ({
  pos: { file, line, col },
  message,
  hint,
  severity: 'error',
});

async function importScenario(esbuild: Esbuild, file: string): Promise<Loaded> {
  if (!existsSync(file))
    return { diagnostics: [problem(file, 'scenario file not found', 'create it, or fix the `scenario:` path in the module front matter')] };
  const outdir = join(cacheDir(), 'scenarios');
  let code: string;
  try {
    const built = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      write: false,
      outdir,
      absWorkingDir: dirname(file),
      format: 'esm',
      platform: 'node',
      target: 'node20',
      conditions: [],
      sourcemap: 'inline',
      logLevel: 'silent',
      plugins: [podlabApi, packagesInPlace, ownImportMeta],
    });
    code = built.outputFiles[0]!.text;
  } catch (err) {
    const first = (err as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }).errors?.[0];
    if (!first)
      return {
        diagnostics: [
          problem(file, `scenario cannot be compiled: ${String((err as Error)?.message ?? err).split('\n')[0]}`, 'fix the error in the scenario file'),
        ],
      };
    const at = first.location;
    return {
      diagnostics: [
        problem(
          at ? resolve(dirname(file), at.file) : file,
          `scenario cannot be compiled: ${first.text}`,
          'fix the error in the scenario file',
          at?.line ?? 1,
          (at?.column ?? 0) + 1,
        ),
      ],
    };
  }

  let mod: { default?: unknown };
  try {
    process.setSourceMapsEnabled(true);
    mod = (await import(pathToFileURL(writeCompiled(outdir, file, code)).href)) as { default?: unknown };
  } catch (err) {
    const text = String((err as Error)?.message ?? err);
    const at = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)`).exec(`${text}\n${(err as Error)?.stack ?? ''}`);
    return {
      diagnostics: [
        problem(file, `scenario cannot be loaded: ${text.split('\n')[0]}`, 'fix the error in the scenario file', Number(at?.[1] ?? 1), Number(at?.[2] ?? 1)),
      ],
    };
  }
  return validate(file, mod.default as Partial<Scenario> | undefined);
}

/** The compiled module's path; written once per content (atomically, since runs may load it side by side). */
function writeCompiled(outdir: string, file: string, code: string): string {
  const out = join(outdir, `${basename(file, extname(file))}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(out)) {
    mkdirSync(outdir, { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, out);
  }
  return out;
}

/**
 * `podlab/scenario` is this podlab's own scenario API, bundled in: a scenario in a workshop team's repository
 * cannot get a different version of it. From its sources in a checkout, compiled in an installed package.
 */
const podlabApi: Plugin = {
  name: 'podlab-api',
  setup(build) {
    const source = join(repoRoot(), 'harness', 'src', 'scenario', 'api.ts');
    const api = existsSync(source) ? source : join(repoRoot(), 'dist', 'harness', 'src', 'scenario', 'api.js');
    build.onResolve({ filter: /^podlab\/scenario$/ }, () => ({ path: api }));
  },
};

/** Package imports stay imports, but as the file URL they resolve to from the importing file. */
const packagesInPlace: Plugin = {
  name: 'packages-in-place',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'packages-in-place') return undefined;
      const r = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'packages-in-place' });
      if (r.errors.length) return { errors: r.errors };
      return { path: r.external ? r.path : pathToFileURL(r.path).href, external: true };
    });
  },
};

const LOADERS: Record<string, Loader> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx' };

/** `import.meta.url` (and dirname, filename) keep meaning the scenario's own file, not the compiled one. */
const ownImportMeta: Plugin = {
  name: 'own-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      const own: Record<string, string> = { url: pathToFileURL(args.path).href, dirname: dirname(args.path), filename: args.path };
      return {
        contents: text.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key: string) => JSON.stringify(own[key])),
        loader: LOADERS[extname(args.path)] ?? 'ts',
        resolveDir: dirname(args.path),
      };
    });
  },
};

function validate(file: string, s: Partial<Scenario> | undefined): Loaded {
  if (!s || typeof s.module !== 'string' || !Array.isArray(s.steps)) {
    return {
      diagnostics: [
        problem(
          file,
          'scenario has no default export from defineScenario()',
          "end the file with `export default defineScenario('<module id>', [step({...}), ...])`",
        ),
      ],
    };
  }
  const diagnostics: Diagnostic[] = [];
  const ids = new Set<string>();
  for (const [i, st] of s.steps.entries()) {
    const where = `step ${i + 1}${st?.id ? ` (\`${st.id}\`)` : ''}`;
    if (!st || typeof st.id !== 'string') diagnostics.push(problem(file, `${where} has no id`, 'give every step an `id` matching its heading in the lab'));
    else if (ids.has(st.id)) diagnostics.push(problem(file, `duplicate scenario step id \`${st.id}\``, 'every step id appears once'));
    else ids.add(st.id);
    if (st?.run !== undefined && typeof st.run !== 'function')
      diagnostics.push(problem(file, `${where}: run is not a function`, 'write `async run(ctx) { ... }`, or leave it out when the text does the work'));
    if (typeof st?.check !== 'function')
      diagnostics.push(problem(file, `${where} has no check() function`, 'add `async check(ctx) { return { ok, expected, actual } }`'));
  }
  return diagnostics.length ? { diagnostics } : { scenario: s as Scenario, diagnostics };
}
