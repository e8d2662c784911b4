// A watchdog for scenario code that never yields. A scenario's run() or check() (or its top level, imported by
// `run`, `check`, `solve` and `grade`) runs on podlab's own thread, and a synchronous loop there stops every timer
// podlab has: no step timeout, no signal handler can fire. So a thread of its own watches a heartbeat that the
// main thread's event loop beats; when scenario code is running and the beat has stopped for the limit, the
// watchdog says which scenario code was running last, kills podlab's child processes (each with its process
// group: the commands a step started, a loading child) and then podlab itself with SIGKILL (exit status 137),
// because nothing else can end a thread that does not yield.
import { Worker } from 'node:worker_threads';
import { visible } from '../terminal.js';

// CommonJS, run by the worker with `eval`: the same in the sources, tsc's output and the bundled CLI.
const WATCH = `
const { readdirSync, readFileSync, writeSync } = require('node:fs');
const { workerData } = require('node:worker_threads');
const { state, label, base } = workerData;
const nap = new Int32Array(new SharedArrayBuffer(4));
const children = () => readdirSync('/proc').filter((p) => /^\\d+$/.test(p)).flatMap((p) => {
  try {
    const stat = readFileSync('/proc/' + p + '/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid ? [Number(p)] : [];
  } catch { return []; }
});
for (;;) {
  Atomics.wait(nap, 0, 0, 250);
  const stalled = Date.now() - base - Atomics.load(state, 0);
  if (Atomics.load(state, 1) > 0 && stalled > Atomics.load(state, 2)) {
    const what = Buffer.from(label.buffer, label.byteOffset, label.byteLength).toString('utf8').replace(/\\0+$/, '');
    writeSync(2, 'podlab: ' + what + ' has held podlab for ' + Math.round(stalled / 1000) + ' s without yielding (a synchronous loop?): ending podlab and the processes it started\\n');
    for (const pid of children()) {
      try { process.kill(-pid, 'SIGKILL'); } catch {}
      try { process.kill(pid, 'SIGKILL'); } catch {}
    }
    process.kill(process.pid, 'SIGKILL');
  }
}
`;

const LABEL_BYTES = 1024;

let dog: { state: Int32Array; label: Uint8Array; base: number; worker: Worker; beat: NodeJS.Timeout } | undefined;

function start(limitMs: number) {
  const base = Date.now();
  const state = new Int32Array(new SharedArrayBuffer(12));
  const label = new Uint8Array(new SharedArrayBuffer(LABEL_BYTES));
  Atomics.store(state, 2, limitMs);
  const worker = new Worker(WATCH, { eval: true, workerData: { state, label, base } });
  worker.unref();
  worker.on('error', () => undefined); // a watchdog that could not start leaves podlab as it was
  const beat = setInterval(() => Atomics.store(state, 0, Date.now() - base), 200).unref();
  Atomics.store(state, 0, 0);
  return { state, label, base, worker, beat };
}

/**
 * Runs scenario code (`what`, e.g. "check() of step pods-ready") under the watchdog: if the event loop stops
 * for `limitMs` while any guarded code runs, podlab is ended (see above). Guarded calls may overlap.
 */
export async function guarded<T>(what: string, limitMs: number, run: () => Promise<T> | T): Promise<T> {
  dog ??= start(limitMs);
  Atomics.store(dog.state, 0, Date.now() - dog.base);
  Atomics.store(dog.state, 2, limitMs);
  const bytes = Buffer.from(visible(what).slice(0, LABEL_BYTES / 4), 'utf8');
  dog.label.fill(0);
  dog.label.set(bytes.subarray(0, LABEL_BYTES));
  Atomics.add(dog.state, 1, 1);
  try {
    return await run();
  } finally {
    Atomics.sub(dog.state, 1, 1);
  }
}
