// Loads compiled scenarios in a child process and reports what each one exports, so that a scenario's top-level
// code cannot hang podlab or end it: the child runs in a process group of its own under a time limit and is
// killed as a group (with whatever the scenario started). Only what the child reports on its own pipe (fd 3)
// counts: a scenario that ends the process while loading (`process.exit(0)`) reports nothing, so it fails.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { Interrupted } from '../errors.js';

/** One bundle's outcome: its default export's shape, the error its import threw, the limit it hung past, or how the child ended. */
export interface Probed {
  shape?: unknown;
  error?: { message: string; stack: string };
  hung?: number;
  exited?: string;
}

/** Marks a function in the reported shape: its name, as a key no scenario value has. */
export const FUNCTION_KEY = '\u0000function';

// Plain JavaScript, run with `node -e`: the same in the sources, tsc's output and the bundled CLI.
const CHILD = `
import { writeSync } from 'node:fs';
const send = (m) => writeSync(3, JSON.stringify(m) + '\\n');
const describe = (v) => JSON.stringify(v ?? null, (k, x) =>
  typeof x === 'function' ? { [${JSON.stringify(FUNCTION_KEY)}]: x.name || 'anonymous' } : typeof x === 'bigint' ? String(x) : x);
for (const [i, url] of process.argv.slice(1).entries()) {
  send({ i, started: true });
  try {
    const mod = await import(url);
    send({ i, shape: describe(mod.default) });
  } catch (e) {
    send({ i, error: { message: String(e?.message ?? e), stack: String(e?.stack ?? '') } });
  }
}
send({ done: true });
`;

/** Loads each bundle (in order) in a child process; limitMs per scenario. A hung or exiting one is reported and the rest load in a new child. */
export async function probeBundles(bundles: string[], limitMs: number): Promise<Probed[]> {
  const results: Probed[] = [];
  while (results.length < bundles.length) results.push(...(await probeOnce(bundles.slice(results.length), limitMs)));
  return results;
}

type Message = { i?: number; started?: true; shape?: string; error?: { message: string; stack: string }; done?: true };

function probeOnce(bundles: string[], limitMs: number): Promise<Probed[]> {
  const results: Probed[] = [];
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', '--input-type=module', '-e', CHILD, '--', ...bundles.map((b) => pathToFileURL(b).href)],
    {
      detached: true,
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    },
  );
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  return new Promise<Probed[]>((resolvePromise, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const finish = (outcome: Probed | Interrupted | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const s of signals) process.off(s, onSignal);
      killGroup();
      if (outcome instanceof Interrupted) return reject(outcome);
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
      let m: Message;
      try {
        m = JSON.parse(line) as Message;
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
