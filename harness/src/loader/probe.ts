// Loads compiled scenarios in a child process (probe-child.ts) and reports what each one exports, so that a
// scenario's top-level code cannot hang podlab or end it: the child runs in a process group of its own under a
// time limit and is killed as a group. Only lines on the child's fd 3 that begin with this child's nonce count:
// a scenario that forges a report, or ends the process while loading (`process.exit(0)`), reports nothing, so it fails.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Interrupted } from '../errors.js';
import { childArgs, childEnv, newNonce } from './probe-child.js';

export { FUNCTION_KEY } from './probe-child.js';

/** What a scenario's import threw; `denied` when the permission model refused it a resource. */
export interface ProbeError {
  message: string;
  stack: string;
  denied?: { permission: string; resource: string };
}

/** One bundle's outcome: its default export's shape, the error its import threw, the limit it hung past, or how the child ended. */
export interface Probed {
  shape?: unknown;
  error?: ProbeError;
  hung?: number;
  exited?: string;
}

/** Told of each loading child's process group when it starts (alive) and when it is killed: see watchProbeGroups. */
let groupWatcher: ((pgid: number, alive: boolean) => void) | undefined;

/**
 * Tells `watcher` of each loading child's process group as it starts and once it is killed, synchronously, so
 * that a thread which outlives this one (lint's, past its time limit) can kill the groups this one left.
 */
export function watchProbeGroups(watcher: (pgid: number, alive: boolean) => void): void {
  groupWatcher = watcher;
}

/**
 * Loads each bundle (in order) in a child process that may read only `readable`; limitMs per scenario. A hung
 * or exiting one is reported and the rest load in a new child.
 */
export async function probeBundles(bundles: string[], limitMs: number, readable: string[]): Promise<Probed[]> {
  const results: Probed[] = [];
  while (results.length < bundles.length)
    results.push(...(await probeOnce(bundles.slice(results.length), limitMs, readable)));
  return results;
}

type Message = { i?: number; started?: true; shape?: string; error?: ProbeError; done?: true };

/** The child, started with the nonce on its stdin; killGroup ends it and whatever it started. */
function startChild(bundles: string[], readable: string[], nonce: string) {
  // Through env(1): the environment is set at exec, after any hook a host installs on spawn (a test runner's
  // NODE_OPTIONS would load code the child may not read).
  const env = Object.entries(childEnv()).map(([k, v]) => `${k}=${v}`);
  const child = spawn('env', ['-i', ...env, process.execPath, ...childArgs(bundles, readable)], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore', 'pipe'],
  });
  child.stdin!.on('error', () => undefined);
  child.stdin!.end(`${nonce} ${process.pid}\n`); // and whose child it is: it may start after podlab is gone
  if (child.pid !== undefined) groupWatcher?.(child.pid, true);
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    if (child.pid !== undefined) groupWatcher?.(child.pid, false);
  };
  return { child, killGroup };
}

function probeOnce(bundles: string[], limitMs: number, readable: string[]): Promise<Probed[]> {
  const results: Probed[] = [];
  const nonce = newNonce();
  const { child, killGroup } = startChild(bundles, readable, nonce);
  return new Promise<Probed[]>((resolvePromise, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const finish = (outcome: Probed | Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const s of signals) process.off(s, onSignal);
      killGroup();
      if (outcome instanceof Error) return reject(outcome);
      if (outcome) results.push(outcome);
      resolvePromise(results);
    };
    const onSignal = (sig: NodeJS.Signals) => finish(new Interrupted(sig));
    for (const s of signals) process.once(s, onSignal);
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish({ hung: limitMs }), limitMs);
    };
    arm();
    createInterface({ input: child.stdio[3] as Readable }).on('line', (line) => {
      const at = line.lastIndexOf(`${nonce} `);
      if (at < 0) return; // not from the child's own code: a scenario wrote it
      let m: Message;
      try {
        m = JSON.parse(line.slice(at + nonce.length + 1)) as Message;
      } catch {
        return;
      }
      if (m.done) return finish(undefined);
      if (m.i !== results.length) return;
      if (m.started) return arm();
      if (m.shape !== undefined) results.push({ shape: JSON.parse(m.shape) as unknown });
      else if (m.error) results.push({ error: m.error });
    });
    child.on('error', (err) => finish({ exited: `podlab could not start node to load it: ${err.message}` }));
    child.on('close', (code, signal) => {
      if (results.length < bundles.length) finish({ exited: signal ? `killed by ${signal}` : `exit code ${code}` });
      else finish(undefined);
    });
  });
}
