// esbuild plugins for compiling a scenario: imports stay inside the lab's project, `podlab/scenario` is this
// podlab's own API, packages stay imports pinned to their files, and `import.meta` keeps meaning the scenario.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { readRegularFile } from '../files.js';
import { dirname, extname, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Loader, Plugin } from 'esbuild';
import { repoRoot } from '../paths.js';

/**
 * What a scenario imports by path (its lab's lib.ts, say) must be inside the lab's project too, after
 * symlinks, as the scenario itself must: `import '../../../elsewhere.ts'` is refused where it is written.
 * Packages stay imports (packagesInPlace) and podlab's own API is podlab's; neither is loaded here.
 */
export function insideProject(root: string): Plugin {
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
        if (inside(real, project) || inside(real, join(own, 'harness')) || inside(real, join(own, 'dist'))) {
          // what esbuild reads whole: a FIFO would hang it, a device or a huge file fill memory (files.ts)
          const st = statSync(real);
          if (st.isFile() && st.size <= MAX_SOURCE_BYTES) return undefined;
          return { errors: [{ text: `${args.path} is not a regular file of at most ${MAX_SOURCE_BYTES} bytes` }] };
        }
        return {
          errors: [
            {
              text: `${args.path} is outside the lab's project (${project}); a scenario may import only files inside it`,
            },
          ],
        };
      });
    },
  };
}
/**
 * `podlab/scenario` is this podlab's own scenario API, bundled in: a scenario in a workshop team's repository
 * cannot get a different version of it. From its sources in a checkout, compiled in an installed package.
 */
export const podlabApi: Plugin = {
  name: 'podlab-api',
  setup(build) {
    const source = join(repoRoot(), 'harness', 'src', 'scenario', 'api.ts');
    const api = existsSync(source) ? source : join(repoRoot(), 'dist', 'harness', 'src', 'scenario', 'api.js');
    build.onResolve({ filter: /^podlab\/scenario$/ }, () => ({ path: api }));
  },
};

/** Package imports stay imports, but as the file URL they resolve to from the importing file. */
export const packagesInPlace: Plugin = {
  name: 'packages-in-place',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'packages-in-place') return undefined;
      const r = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'packages-in-place',
      });
      if (r.errors.length) return { errors: r.errors };
      return { path: r.external ? r.path : pathToFileURL(r.path).href, external: true };
    });
  },
};

const LOADERS: Record<string, Loader> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'jsx',
};

/** A scenario's source file, or a module it imports from the project: far larger is not source. */
const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

/** `import.meta.url` (and dirname, filename) keep meaning the scenario's own file, not the compiled one. */
export const ownImportMeta: Plugin = {
  name: 'own-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      // esbuild would read the file itself, and a FIFO or a device there would hang or fill memory (files.ts)
      const read = readRegularFile(args.path, MAX_SOURCE_BYTES);
      if (read.problem !== undefined) return { errors: [{ text: `${args.path} ${read.problem}` }] };
      const text = read.bytes.toString('utf8');
      if (!text.includes('import.meta')) return undefined;
      const own: Record<string, string> = {
        url: pathToFileURL(args.path).href,
        dirname: dirname(args.path),
        filename: args.path,
      };
      return {
        contents: text.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key: string) =>
          JSON.stringify(own[key]),
        ),
        loader: LOADERS[extname(args.path)] ?? 'ts',
        resolveDir: dirname(args.path),
      };
    });
  },
};
