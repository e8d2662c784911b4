// Ends what a shell started without ending the shell: SIGTERM to every process below it (children,
// grandchildren, and members of its process group that were re-parented), SIGKILL to those left after a grace period.
import { readdirSync, readFileSync } from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  pgrp: number;
  state: string;
}

function table(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
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

/** Live processes below `shell` or in its process group, the shell itself excluded. */
export function below(shell: number): number[] {
  const procs = table().filter((p) => p.state !== 'Z');
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

const signal = (pid: number, sig: NodeJS.Signals) => {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone */
  }
};

/** SIGTERM to everything below the shell, SIGKILL to what is still there `graceMs` later. */
export async function killTree(shell: number, graceMs: number): Promise<number> {
  const first = below(shell);
  first.forEach((p) => signal(p, 'SIGTERM'));
  for (const deadline = Date.now() + graceMs; Date.now() < deadline && below(shell).length;)
    await new Promise((r) => setTimeout(r, 100));
  below(shell).forEach((p) => signal(p, 'SIGKILL'));
  return first.length;
}
