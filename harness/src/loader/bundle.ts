// Compiles a scenario with esbuild into podlab's cache: the scenario with its relative imports (its lab's lib.ts)
// and podlab's scenario API (`podlab/scenario`) in one ES module; packages stay imports, pinned to the files they
// resolve to from the scenario's own folder. The bundle is named by the hash of its content and checked against
// it before every use, so a bundle changed in the cache is written again, never imported as it is.
import { createHash } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Diagnostic } from '../model/types.js';
import { diagnostic, fileDiagnostic } from '../model/diagnostic.js';
import { cacheDir } from '../paths.js';
import { insideProject, ownImportMeta, packagesInPlace, podlabApi } from './bundle-plugins.js';

export type Esbuild = typeof import('esbuild');

/** Bundles unused this long, or beyond this many (oldest first), are removed when a new one is written. */
const CACHE_MAX_AGE_DAYS = 14;
const CACHE_MAX_BUNDLES = 200;

const bundleDir = () => join(cacheDir(), 'scenarios');

/** A compiled scenario: its bundle and the packages it imports (file URLs), or why it did not compile. */
export interface Compiled {
  bundle?: string;
  externals?: string[];
  diagnostics: Diagnostic[];
}

/** The bundle's path, or the compile error at its line in the scenario (or the file it imports). */
export async function bundleScenario(esbuild: Esbuild, file: string, root?: string): Promise<Compiled> {
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
      metafile: true,
      plugins: [...(root ? [insideProject(root)] : []), podlabApi, packagesInPlace, ownImportMeta],
    });
    const imports = Object.values(built.metafile.outputs).flatMap((o) => o.imports);
    return {
      bundle: writeCompiled(outdir, file, built.outputFiles[0]!.text),
      externals: imports.filter((i) => i.external).map((i) => i.path),
      diagnostics: [],
    };
  } catch (err) {
    const first = (
      err as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }
    ).errors?.[0];
    if (!first)
      return {
        diagnostics: [
          fileDiagnostic(
            file,
            `scenario cannot be compiled: ${String((err as Error)?.message ?? err).split('\n')[0]}`,
            FIX,
          ),
        ],
      };
    const at = first.location;
    const where = at ? resolve(dirname(file), at.file) : file;
    return {
      diagnostics: [
        diagnostic(where, at?.line ?? 1, (at?.column ?? 0) + 1, `scenario cannot be compiled: ${first.text}`, FIX),
      ],
    };
  }
}

const FIX = 'fix the error in the scenario file';

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
function pruneBundles(outdir: string, keep?: string): void {
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
