// What podlab lint's two threads share (lint-command.ts keeps the time limit, lint-worker.ts does the work): the
// job, the messages, and the process groups of the scenario loaders the worker has running. The groups are
// slots of shared memory that the worker writes as it starts and kills each loader, so the other thread knows
// them at once, even while the worker is stuck in synchronous code and can send no message.

/** What the worker is asked to lint, and where it writes the loaders' process groups. */
export interface LintJob {
  paths: string[];
  root: string;
  /** each shell block's line too (--blocks) */
  blocks: boolean;
  groups: Int32Array;
}

/** One line of lint's output, for stdout or stderr, in the order lint prints them. */
export interface LintLine {
  to: 'out' | 'err';
  text: string;
}

/** From the worker: the lab it starts linting, or its whole report (lines, and how many errors). */
export type LintMessage = { lab: string } | { done: { lines: LintLine[]; errors: number } };

/** More loaders than lint ever runs at once; one that finds no slot is still ended by its own parent watch. */
const SLOTS = 64;

export const newGroups = () => new Int32Array(new SharedArrayBuffer(SLOTS * 4));

export function addGroup(groups: Int32Array, pgid: number): void {
  for (let i = 0; i < groups.length; i++) if (Atomics.compareExchange(groups, i, 0, pgid) === 0) return;
}

export function dropGroup(groups: Int32Array, pgid: number): void {
  for (let i = 0; i < groups.length; i++) if (Atomics.compareExchange(groups, i, pgid, 0) === pgid) return;
}

/** SIGKILLs every process group still listed (each loader and whatever it started); returns how many. */
export function killGroups(groups: Int32Array): number {
  let killed = 0;
  for (let i = 0; i < groups.length; i++) {
    const pgid = Atomics.exchange(groups, i, 0);
    if (pgid <= 0) continue;
    try {
      process.kill(-pgid, 'SIGKILL');
      killed++;
    } catch {
      // already gone
    }
  }
  return killed;
}
