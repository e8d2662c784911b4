// podlab lint, with an overall time limit (--timeout): lint loads each lab's scenarios, which runs their top-level
// code, and parses every module, so neither a scenario that never finishes loading nor a lab that keeps podlab busy
// may hold lint, or a CI job, for ever. The work runs in a worker thread (lint-worker.ts) and this thread only
// waits, so its timer fires on time whatever the worker does. Past the limit it ends the worker (Worker.terminate()
// stops synchronous code too), kills the scenario loaders still running with their process groups, and exits 5.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Interrupted, UsageError } from '../errors.js';
import { visible } from '../terminal.js';
import { EXIT, type Outcome } from './exit.js';
import { root } from './common.js';
import { killGroups, newGroups, type LintJob, type LintLine, type LintMessage } from './lint-groups.js';

export interface LintFlags {
  blocks?: boolean;
  /** seconds lint may take in all (1-86400) */
  timeout?: number;
}

/** The default overall limit: far above any project's lint (seconds), well below a CI job's own timeout. */
const LINT_TIMEOUT_SECONDS = 600; // as main.ts gives commander

/** How long a worker being ended is waited for, should it be stuck where V8 cannot stop it (ms). */
const TERMINATE_WAIT_MS = 2_000;

/** How the worker's lint ended: its report, the time limit, a signal to podlab, or an error of its own. */
type Ended =
  { done: { lines: LintLine[]; errors: number } } | { late: true } | { signal: NodeJS.Signals } | { error: Error };

export async function lint(paths: string[], opts: LintFlags = {}): Promise<Outcome> {
  // Without paths, the labs of the project podlab runs in, never podlab's own.
  if (!paths.length && !existsSync('labs'))
    return new UsageError(
      `no labs/ folder in ${process.cwd()}: run \`podlab lint\` in a lab project, or name the labs to lint`,
    );
  const seconds = opts.timeout ?? LINT_TIMEOUT_SECONDS;
  let current = '';
  const job = { paths: paths.length ? paths : ['labs/'], root, blocks: !!opts.blocks, groups: newGroups() };
  const ended = await inWorker(job, seconds * 1000, (lab) => (current = lab));
  if ('late' in ended) {
    const where = current ? ` while linting ${visible(relative(process.cwd(), current) || current)}` : '';
    console.error(
      `podlab lint: stopped after ${seconds} s (--timeout ${seconds})${where}: a scenario's top-level code may never finish loading; the loaders were ended. Raise --timeout, or lint fewer labs at once`,
    );
    return EXIT.timeout;
  }
  if ('signal' in ended) return new Interrupted(ended.signal);
  if ('error' in ended) return ended.error;
  for (const { to, text } of ended.done.lines) (to === 'out' ? console.log : console.error)(text);
  const { errors } = ended.done;
  console.error(errors ? `podlab lint: ${errors} error(s)` : 'podlab lint: ok');
  return errors ? EXIT.usage : EXIT.ok;
}

/** Runs the job in lint's worker until it reports, limitMs pass or a signal comes; then ends it and its loaders. */
function inWorker(job: LintJob, limitMs: number, onLab: (lab: string) => void): Promise<Ended> {
  const worker = new Worker(new URL('./lint-worker.js', import.meta.url), { workerData: job });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  return new Promise<Ended>((resolve) => {
    let settled = false;
    const end = (ended: Ended) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const s of signals) process.off(s, onSignal);
      const waited = new Promise((r) => setTimeout(r, TERMINATE_WAIT_MS).unref());
      void Promise.race([worker.terminate(), waited]).then(() => {
        killGroups(job.groups); // after the worker stopped: it starts no loader since
        resolve(ended);
      });
    };
    const onSignal = (signal: NodeJS.Signals) => end({ signal });
    for (const s of signals) process.once(s, onSignal);
    const timer = setTimeout(() => end({ late: true }), limitMs);
    worker.on('message', (m: LintMessage) => ('lab' in m ? onLab(m.lab) : end(m)));
    worker.on('error', (error) => end({ error }));
    worker.on('exit', (code) => end({ error: new Error(`podlab lint: its worker ended (exit code ${code}) unasked`) }));
  });
}
