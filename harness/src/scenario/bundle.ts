// Compiles a scenario with esbuild into podlab's cache: the scenario with its relative imports (its lab's lib.ts)
// and podlab's scenario API (`podlab/scenario`) in one ES module; packages stay imports, pinned to the files they
// resolve to from the scenario's own folder. The bundle is named by the hash of its content and checked against
// it before every use, so a bundle changed in the cache is written again, never imported as it is.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, realpathSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Loader, Plugin } from 'esbuild';
import type { Diagnostic } from '../model/types.js';
import { cacheDir, repoRoot } from '../paths.js';

export type Esbuild = typeof import('esbuild');

/** Bundles unused this long, or beyond this many (oldest first), are removed when a new one is written. */
export const CACHE_MAX_AGE_DAYS = 14;
export const CACHE_MAX_BUNDLES = 200;

export const problem = (file: string, message: string, hint: string, line = 1, col = 1): Diagnostic => ({
  pos: { file, line, col },
  message,
  hint,
  severity: 'error',
});

export const bundleDir = () => join(cacheDir(), 'scenarios');

/** The bundle's path, or the compile error at its line in the scenario (or the file it imports). */
export async function bundleScenario(esbuild: Esbuild, file: string, root?: string): Promise<{ bundle?: string; diagnostics: Diagnostic[] }> {
  const outdir = bundleDir();
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
      plugins: [...(root ? [insideProject(root)] : []), podlabApi, packagesInPlace, ownImportMeta],
    });
    return { bundle: writeCompiled(outdir, file, built.outputFiles[0]!.text), diagnostics: [] };
  } catch (err) {
    const first = (err as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }).errors?.[0];
    if (!first) return { diagnostics: [problem(file, `scenario cannot be compiled: ${String((err as Error)?.message ?? err).split('\n')[0]}`, FIX)] };
    const at = first.location;
    const where = at ? resolve(dirname(file), at.file) : file;
    return { diagnostics: [problem(where, `scenario cannot be compiled: ${first.text}`, FIX, at?.line ?? 1, (at?.column ?? 0) + 1)] };
  }
}

const FIX = 'fix the error in the scenario file';

/**
 * What a scenario imports by path (its lab's lib.ts, say) must be inside the lab's project too, after
 * symlinks, as the scenario itself must: `import '../../../elsewhere.ts'` is refused where it is written.
 * Packages stay imports (packagesInPlace) and podlab's own API is podlab's; neither is loaded here.
 */
function insideProject(root: string): Plugin {
  const own = realpathSync(repoRoot());
  const project = realpathSync(root);
  const inside = (p: string, dir: string) => p === dir || p.startsWith(`${dir}${sep}`);
  return {
    name: 'inside-project',
    setup(build) {
      build.onLoad({ filter: /.*/ }, (args) => {
        let real: string;
        try {
          real = realpathSync(args.path);
        } catch {
          return undefined; // esbuild says what is missing
        }
        if (inside(real, project) || inside(real, join(own, 'harness')) || inside(real, join(own, 'dist'))) return undefined;
        return { errors: [{ text: `${args.path} is outside the lab's project (${project}); a scenario may import only files inside it` }] };
      });
    },
  };
}
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/**
 * Writes the bundle under a name made of its content's hash, unless a file of that name holds exactly that
 * content (checked byte for byte: a tampered bundle is replaced). Written atomically, since runs may load it
 * side by side; touched on use, so that pruning removes only bundles nobody loads.
 */
function writeCompiled(outdir: string, file: string, code: string): string {
  const out = join(outdir, `${basename(file, extname(file))}-${sha256(code).slice(0, 32)}.mjs`);
  let current: Buffer | undefined;
  try {
    current = readFileSync(out);
  } catch {
    current = undefined;
  }
  if (current && sha256(current) === sha256(code)) {
    const now = new Date();
    utimesSync(out, now, now);
    return out;
  }
  mkdirSync(outdir, { recursive: true, mode: 0o700 });
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, code, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, out);
  pruneBundles(outdir, out);
  return out;
}

/** Removes bundles unused for CACHE_MAX_AGE_DAYS, and the oldest beyond CACHE_MAX_BUNDLES; leftovers of a crashed write too. */
export function pruneBundles(outdir: string, keep?: string): void {
  const now = Date.now();
  const entries = readdirSync(outdir)
    .filter((f) => f.endsWith('.mjs') || f.endsWith('.tmp'))
    .flatMap((f) => {
      try {
        return [{ path: join(outdir, f), mtime: statSync(join(outdir, f)).mtimeMs }];
      } catch {
        return [];
      }
    })
    .sort((a, b) => b.mtime - a.mtime);
  entries.forEach((e, i) => {
    const old = now - e.mtime > CACHE_MAX_AGE_DAYS * 86_400_000;
    const stale = e.path.endsWith('.tmp') && now - e.mtime > 3_600_000;
    if (e.path !== keep && (old || stale || i >= CACHE_MAX_BUNDLES)) rmSync(e.path, { force: true });
  });
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
