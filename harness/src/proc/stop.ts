// Stopping processes, the one home for it: reading Linux's process table (/proc/*/stat) and the SIGTERM, wait,
// SIGKILL sequence. A shell's block (shell/session.ts, through killTree) and a step's commands (processes.ts,
// through stopGroup) both end this way. Why not zx's `ps`/`kill`: see docs/architecture.md.

/** When a step ends, or a block is stopped, what is still running gets SIGTERM, then SIGKILL this much later. */
export const KILL_GRACE_MS = 2_000;

/** How often a stop looks whether what it signalled is gone. */
const POLL_MS = 100;

import { readdirSync, readFileSync } from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  pgrp: number;
  state: string;
}

/** Every process /proc lists, with its parent, process group and state (R, S, Z ...); undefined if /proc cannot be read. */
function processTable(): Proc[] | undefined {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const out: Proc[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses
      const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(name), ppid: Number(ppid), pgrp: Number(pgrp), state: state ?? '' });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/** Live processes below `shell` (children, grandchildren) or in its process group, the shell itself excluded. */
export function below(shell: number): number[] {
  const procs = (processTable() ?? []).filter((p) => p.state !== 'Z');
  const found = new Set<number>();
  let frontier = [shell];
  while (frontier.length) {
    const next = procs.filter((p) => frontier.includes(p.ppid) && !found.has(p.pid)).map((p) => p.pid);
    next.forEach((p) => found.add(p));
    frontier = next;
  }
  for (const p of procs) if (p.pgrp === shell && p.pid !== shell) found.add(p.pid);
  return [...found];
}

/** The states of a process group's members; undefined where /proc cannot be read. */
export function groupMembers(pgid: number): string[] | undefined {
  return processTable()
    ?.filter((p) => p.pgrp === pgid && p.state)
    .map((p) => p.state);
}

function signalPid(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false; // ESRCH: gone
  }
}

/**
 * Whether anything in the process group still runs. A killed orphan stays a zombie (and a group member)
 * until its new parent reaps it, which can take a while: zombies do not count.
 */
export function groupAlive(pgid: number): boolean {
  if (!signalPid(-pgid, 0)) return false;
  const members = groupMembers(pgid);
  return members === undefined || members.some((state) => state !== 'Z');
}

async function gone(alive: () => boolean, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (alive()) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return true;
}

/**
 * The one stop sequence: SIGTERM through `send`, then SIGKILL if `alive()` still holds `graceMs` later, then
 * up to `settleMs` for the SIGKILL to take. Resolves with the last signal it needed, or undefined when the
 * SIGTERM found nothing to signal.
 */
async function terminate(
  send: (sig: NodeJS.Signals) => boolean,
  alive: () => boolean,
  graceMs: number,
  settleMs: number,
): Promise<'SIGTERM' | 'SIGKILL' | undefined> {
  if (!send('SIGTERM')) return undefined;
  if (await gone(alive, graceMs)) return 'SIGTERM';
  send('SIGKILL');
  await gone(alive, settleMs);
  return 'SIGKILL';
}

/** Stops a process group (a command spawned detached); undefined if nothing in it was alive to stop. */
export async function stopGroup(pgid: number, graceMs: number): Promise<'SIGTERM' | 'SIGKILL' | undefined> {
  if (!groupAlive(pgid)) return undefined;
  return terminate(
    (sig) => signalPid(-pgid, sig),
    () => groupAlive(pgid),
    graceMs,
    5_000,
  );
}

/**
 * Ends what a shell started without ending the shell: SIGTERM to every process below it (children,
 * grandchildren, and members of its process group that were re-parented), SIGKILL to those left `graceMs`
 * later, and waits for those to be gone. Resolves with how many processes it signalled first.
 */
export async function killTree(shell: number, graceMs: number): Promise<number> {
  const first = below(shell);
  const send = (sig: NodeJS.Signals) => {
    (sig === 'SIGTERM' ? first : below(shell)).forEach((p) => signalPid(p, sig));
    return true;
  };
  // After SIGKILL, wait (up to 2 s) until they are gone: a killed process takes a moment to exit on a loaded
  // machine, and the caller goes on as if nothing were left below the shell.
  await terminate(send, () => below(shell).length > 0, graceMs, 2_000);
  return first.length;
}
