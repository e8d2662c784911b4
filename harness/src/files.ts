// Reading the files a lab names, as untrusted input: only regular files under a size cap (a FIFO would block a
// plain read forever, a 3 GB file would exhaust memory), and only inside the lab's project (after symlinks).
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

export type ReadResult = { bytes: Buffer; problem?: undefined } | { bytes?: undefined; problem: string };

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The file's bytes, or why it was not read; checked with fstat on the opened file, so nothing blocks before the check. */
export function readRegularFile(file: string, maxBytes: number): ReadResult {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      problem:
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EACCES'
            ? 'permission denied'
            : `cannot be opened (${code ?? String(err)})`,
    };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { problem: `is ${kindOf(st)}, not a regular file` };
    if (st.size > maxBytes) return { problem: `is ${st.size} bytes, over the ${maxBytes}-byte limit` };
    // Read at most one byte past the cap: the file may grow after fstat.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (let got = -1; got !== 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, n);
    if (n > maxBytes) return { problem: `is over the ${maxBytes}-byte limit` };
    return { bytes: buf.subarray(0, n) };
  } catch (err) {
    return { problem: `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  } finally {
    closeSync(fd);
  }
}

const within = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
};

/**
 * A path a lab names (`scenario:`, `manifests/...`), resolved against its project root: the absolute path, or
 * why it is refused. It must be relative and stay inside the root, also after symlinks; a path that does not
 * exist yet is left to the caller's "not found".
 */
export function insideRoot(
  root: string,
  named: string,
): { path: string; problem?: undefined } | { path?: undefined; problem: string } {
  if (isAbsolute(named)) return { problem: `is an absolute path; name it relative to the project root ${root}` };
  const path = resolve(root, named);
  if (!within(root, path)) return { problem: `points outside the project root ${root}` };
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return { path };
  }
  const realRoot = realpathSync(root);
  if (!within(realRoot, real))
    return { problem: `resolves through a symlink to ${real}, outside the project root ${realRoot}` };
  return { path };
}
