import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { homedir } from 'node:os';

/** The repository root: where labs/, scenarios/, manifests/ and cluster/ live. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'harness'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

/**
 * The project a lab belongs to, where its `scenario:` and manifest paths resolve: the nearest folder above
 * the lab that holds a `scenarios/` folder or a package.json (a workshop team's own repository, or this
 * checkout for the labs under labs/). When there is none, the folder holding the lab (or holding its labs/
 * folder): never podlab's own root, so such a lab cannot name podlab's scenarios or manifests.
 */
export function projectRootOf(labPath: string): string {
  const lab = resolve(labPath);
  for (let dir = dirname(lab); dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'scenarios')) || existsSync(join(dir, 'package.json'))) return dir;
  }
  return basename(dirname(lab)) === 'labs' ? dirname(dirname(lab)) : dirname(lab);
}

/** podlab's cache outside any checkout: `$XDG_CACHE_HOME/podlab`, by default `~/.cache/podlab`. */
export function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'podlab');
}
