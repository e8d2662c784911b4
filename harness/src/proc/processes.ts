// The child processes a step starts through ctx.$: tracked per step, and killed (SIGTERM, then SIGKILL) when it ends.
import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { KILL_GRACE_MS, groupAlive, groupMembers, stopGroup } from './stop.js';

/** A command of a step that was still running when the step ended, and how it was stopped. */
export interface KilledCommand {
  command: string;
  pid: number;
  /** processes in its process group when it was signalled: the command and everything it started */
  processes: number;
  /** SIGTERM sufficed, or it outlived the grace period and got SIGKILL */
  signal: 'SIGTERM' | 'SIGKILL';
}

interface Tracked {
  child: ChildProcess;
  command: string;
  stopping?: boolean;
}

/**
 * The child processes one step started through `ctx.$`. Each command is spawned detached, as the leader
 * of a process group of its own, so the command and everything it starts (`bash -c 'a; b'` forks) are
 * signalled together, even after the shell itself is gone. `stop()` (called when the step ends, and at
 * once when the step's signal aborts) sends SIGTERM to every group still alive and SIGKILL to those alive
 * `graceMs` later. A command started after `stop()` is stopped as soon as it starts.
 */
export class StepProcesses {
  private readonly tracked = new Set<Tracked>();
  private readonly pending = new Set<Promise<void>>();
  private readonly killed: KilledCommand[] = [];
  private stopped = false;

  constructor(
    signal?: AbortSignal,
    readonly graceMs = KILL_GRACE_MS,
  ) {
    if (signal?.aborted) this.stopped = true;
    else
      signal?.addEventListener(
        'abort',
        () => {
          void this.stop();
        },
        { once: true },
      );
  }

  /** child_process.spawn for zx: the same, but detached (own process group) and tracked */
  readonly spawn = (command: string, args: readonly string[], options: SpawnOptions): ChildProcess => {
    const child = nodeSpawn(command, args, { ...options, detached: true });
    const entry: Tracked = { child, command: [command, ...args].join(' ') };
    if (child.pid === undefined) return child; // spawn failed: zx reports the 'error' event
    this.tracked.add(entry);
    // Forget a command once its whole process group is gone; a group outliving its leader stays tracked.
    child.once('exit', () => {
      if (!groupAlive(child.pid!)) this.tracked.delete(entry);
    });
    if (this.stopped) this.terminate(entry);
    return child;
  };

  /** Stops every command still running (SIGTERM, SIGKILL after the grace period); resolves with all it had to kill. */
  async stop(): Promise<KilledCommand[]> {
    this.stopped = true;
    for (const entry of this.tracked) this.terminate(entry);
    while (this.pending.size) await Promise.all([...this.pending]);
    return [...this.killed];
  }

  private terminate(entry: Tracked) {
    if (entry.stopping) return;
    entry.stopping = true;
    const p = this.kill(entry).finally(() => {
      this.pending.delete(p);
      this.tracked.delete(entry);
    });
    this.pending.add(p);
  }

  private async kill(entry: Tracked): Promise<void> {
    const pgid = entry.child.pid!;
    const processes = groupMembers(pgid)?.filter((state) => state !== 'Z').length ?? 1;
    const signal = await stopGroup(pgid, this.graceMs);
    if (!signal) return; // already gone: nothing was killed
    const command = entry.command.replace(/^set -euo pipefail;\s*/, '');
    this.killed.push({
      command: command.length > 200 ? `${command.slice(0, 199)}…` : command,
      pid: pgid,
      processes: Math.max(processes, 1),
      signal,
    });
  }
}

/** One line for a step's reason, e.g. "killed 2 child processes (1 command; 1 ignored SIGTERM and got SIGKILL after 2s)". */
export function describeKilled(killed: KilledCommand[], graceMs = KILL_GRACE_MS): string | undefined {
  if (!killed.length) return undefined;
  const processes = killed.reduce((n, k) => n + k.processes, 0);
  const hard = killed.filter((k) => k.signal === 'SIGKILL').length;
  const commands = `${killed.length} command${killed.length === 1 ? '' : 's'}`;
  const how = hard ? `${hard} ignored SIGTERM and got SIGKILL after ${graceMs / 1000}s` : 'SIGTERM';
  return `killed ${processes} child process${processes === 1 ? '' : 'es'} (${commands}; ${how})`;
}
