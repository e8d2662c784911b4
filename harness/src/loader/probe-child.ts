// The child process that loads scenario bundles for their shape (probe.ts runs it), and what it may do. Its
// report goes out on fd 3, each line led by a nonce that podlab writes on the child's stdin and that the child
// reads before any scenario code runs: a scenario can write to fd 3, but not a line podlab believes. The child
// runs under Node's permission model: it reads only the lab's project, the bundles and the packages they import;
// it writes nothing, starts no process and opens no inspector, so a scenario's top level cannot run code from
// outside the project (a computed `import()` included) nor leave a daemon behind. A thread the scenario cannot
// block ends the child as soon as podlab is gone (its parent is no longer podlab), even while the scenario loops. Its
// environment holds none of podlab's secrets.
import { randomBytes } from 'node:crypto';
import { dirname, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Marks a function in the reported shape: its name, as a key no scenario value has. */
export const FUNCTION_KEY = '\u0000function';

/** A fresh secret for one child: the first field of every line podlab accepts from it. */
export const newNonce = () => randomBytes(24).toString('hex');

// Plain JavaScript, run with `node -e`: the same in the sources, tsc's output and the bundled CLI.
const WATCH_PARENT = `
import { workerData as parent } from 'node:worker_threads';
const nap = new Int32Array(new SharedArrayBuffer(4));
while (process.ppid === parent) Atomics.wait(nap, 0, 0, 200);
process.kill(process.pid, 'SIGKILL');
`;

const CHILD = `
import { readSync, writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
const nap = new Int32Array(new SharedArrayBuffer(4));
const bytes = Buffer.alloc(128);
let got = '';
while (!got.includes('\\n')) {
  let n = 0;
  try { n = readSync(0, bytes); } catch (e) { if (e.code === 'EAGAIN') { Atomics.wait(nap, 0, 0, 10); continue; } throw e; }
  if (n === 0) process.exit(1);
  got += bytes.toString('utf8', 0, n);
}
const [nonce, parent] = got.slice(0, got.indexOf('\\n')).split(' ');
got = '';
new Worker(${JSON.stringify(WATCH_PARENT)}, { eval: true, workerData: Number(parent) }).unref();
const send = (m) => writeSync(3, nonce + ' ' + JSON.stringify(m) + '\\n');
const describe = (v) => JSON.stringify(v ?? null, (k, x) =>
  typeof x === 'function' ? { [${JSON.stringify(FUNCTION_KEY)}]: x.name || 'anonymous' } : typeof x === 'bigint' ? String(x) : x);
for (const [i, url] of process.argv.slice(1).entries()) {
  send({ i, started: true });
  try {
    const mod = await import(url);
    send({ i, shape: describe(mod.default) });
  } catch (e) {
    const denied = e?.code === 'ERR_ACCESS_DENIED' ? { permission: String(e.permission ?? ''), resource: String(e.resource ?? '') } : undefined;
    send({ i, error: { message: String(e?.message ?? e), stack: String(e?.stack ?? ''), denied } });
  }
}
send({ done: true });
`;

/** Node's flag for the permission model: `--permission` from Node 22.13 on, experimental before. */
const permissionFlag = () =>
  process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';

/**
 * What the child may read: the project (or, without one, each scenario's folder), the bundles' folder, and
 * every node_modules folder a bundle imports a package from (packages stay imports, pinned to their files).
 */
export function readableDirs(bundles: string[], roots: string[], externals: string[]): string[] {
  const dirs = new Set([...roots, ...bundles.map((b) => dirname(b))]);
  for (const url of externals) {
    if (!url.startsWith('file:')) continue;
    const path = fileURLToPath(url);
    const at = path.indexOf(`${sep}node_modules${sep}`);
    dirs.add(at >= 0 ? path.slice(0, at + '/node_modules/'.length) : dirname(path));
  }
  return [...dirs].map((d) => (d.endsWith(sep) ? d : `${d}${sep}`));
}

/**
 * The child's environment: the locale, the paths and podlab's own variables, not the rest of podlab's (cloud
 * credentials, tokens, a KUBECONFIG, NODE_OPTIONS that would load code from outside what the child may read).
 */
export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const kept = /^(PATH|HOME|TMPDIR|TZ|LANG|LC_[A-Z]+|LAB_IMAGE|PODLAB_[A-Z0-9_]+)$/;
  return Object.fromEntries(Object.entries(env).filter(([k]) => kept.test(k)));
}

/** node's arguments for a child that loads these bundles, reading only `readable`. */
export function childArgs(bundles: string[], readable: string[]): string[] {
  return [
    permissionFlag(),
    ...readable.map((d) => `--allow-fs-read=${d}`),
    '--allow-worker',
    '--no-warnings',
    '--enable-source-maps',
    '--input-type=module',
    '-e',
    CHILD,
    '--',
    ...bundles.map((b) => pathToFileURL(b).href),
  ];
}
