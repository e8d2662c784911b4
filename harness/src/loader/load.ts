// Loads scenario modules (TypeScript or JavaScript) at run time: authors need no build step. Each is compiled
// by esbuild into podlab's cache (bundle.ts), then loaded first in a child process under a time limit
// (probe.ts), which reports its shape: that is all lint needs. run, check, solve and grade then import the
// bundle here as well, for its functions, under the same limit. Errors keep the scenario's own lines (the
// bundles carry inline source maps). (This replaced tsx's loader hooks, which cost about 0.5 s of CPU per command.)
import { guarded } from '../proc/watchdog.js';
import { existsSync } from 'node:fs';
import { envNumber } from '../numbers.js';
import { pathToFileURL } from 'node:url';
import { bundleScenario, type Compiled } from './bundle.js';
import { fileDiagnostic } from '../model/diagnostic.js';
import { dirname, relative } from 'node:path';
import { readableDirs } from './probe-child.js';
import { probeBundles } from './probe.js';
import type { Scenario } from '../scenario/types.js';
import { fromProbe, loadError, notLoadedInTime, validate, type Loaded } from './shape.js';

export interface LoadOptions {
  /** import the scenarios into this process too, for their functions (default: only their shape, as lint needs) */
  functions?: boolean;
  /** the lab's project: what a scenario imports by path must be inside it */
  root?: string;
}

/** The time a scenario may take to compile, and then to load: $PODLAB_SCENARIO_TIMEOUT seconds (1-3600), 30 by default. */
const loadLimitMs = () => envNumber('PODLAB_SCENARIO_TIMEOUT') * 1000;

const cache = new Map<string, Promise<Loaded>>();
let compiling = 0;

export async function loadScenario(file: string, o: LoadOptions = { functions: true }): Promise<Loaded> {
  return (await loadScenarios([file], o)).get(file)!;
}

/** Loads several scenarios at once: one esbuild service compiles them side by side, one child process loads them. */
export async function loadScenarios(files: string[], o: LoadOptions = {}): Promise<Map<string, Loaded>> {
  const key = (f: string) => `${o.functions ? 'functions' : 'shape'}:${f}`;
  const todo = [...new Set(files.filter((f) => !cache.has(key(f))))];
  if (todo.length) {
    const all = compileAndProbe(todo, o);
    todo.forEach((f, i) => {
      const one = all.then((r) => r[i]!);
      one.catch(() => undefined); // an interrupt rejects them all; the first one awaited reports it
      cache.set(key(f), one);
    });
  }
  const loaded = new Map<string, Loaded>();
  for (const file of files) loaded.set(file, await cache.get(key(file))!);
  return loaded;
}

async function compileAndProbe(files: string[], o: LoadOptions): Promise<Loaded[]> {
  const limit = loadLimitMs();
  const built = await compileAll(files, limit, o.root);
  const ready = built.flatMap((b, i) => (b.bundle ? [{ i, bundle: b.bundle }] : []));
  const bundles = ready.map((r) => r.bundle);
  const roots = o.root ? [o.root] : files.map((f) => dirname(f));
  const readable = readableDirs(
    bundles,
    roots,
    built.flatMap((b) => b.externals ?? []),
  );
  const probed = await probeBundles(bundles, limit, readable);
  const out: Loaded[] = built.map((b) => ({ diagnostics: b.diagnostics }));
  for (const [j, { i, bundle }] of ready.entries()) {
    const shape = fromProbe(files[i]!, probed[j]!, limit);
    out[i] = shape.scenario && o.functions ? await importHere(files[i]!, bundle, limit) : shape;
  }
  return out;
}

async function compileAll(files: string[], limit: number, root?: string): Promise<Compiled[]> {
  const esbuild = await import('esbuild');
  compiling++;
  try {
    return await Promise.all(
      files.map((file) =>
        existsSync(file)
          ? withLimit(bundleScenario(esbuild, file, root), limit, () => ({
              diagnostics: [
                fileDiagnostic(
                  file,
                  `scenario did not compile within ${limit / 1000} s`,
                  'look for a huge or generated file it imports',
                ),
              ],
            }))
          : {
              diagnostics: [
                fileDiagnostic(
                  file,
                  'scenario file not found',
                  'create it, or fix the `scenario:` path in the module front matter',
                ),
              ],
            },
      ),
    );
  } finally {
    // esbuild compiles in a service process. Stopping it once nothing compiles means a long run does not keep
    // it around, and its CPU time is counted as podlab's own (the process is reaped while podlab runs).
    if (--compiling === 0) await esbuild.stop();
  }
}

function withLimit<T>(p: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(onTimeout()), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

async function importHere(file: string, bundle: string, limit: number): Promise<Loaded> {
  try {
    process.setSourceMapsEnabled(true);
    // withLimit ends a wait; the watchdog ends a top level that never yields (it would stop withLimit's timer too)
    const mod = await guarded(`the top level of scenario ${relative(process.cwd(), file) || file}`, limit, () =>
      withLimit(
        import(pathToFileURL(bundle).href) as Promise<{ default?: unknown } | undefined>,
        limit,
        () => undefined,
      ),
    );
    if (!mod) return notLoadedInTime(file, limit);
    return validate(file, mod.default as Partial<Scenario> | undefined);
  } catch (err) {
    return loadError(file, String((err as Error)?.message ?? err), (err as Error)?.stack ?? '');
  }
}
