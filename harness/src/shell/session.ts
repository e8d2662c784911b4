// The attendee's terminal: one bash, started through zx, that every runnable block of a run is typed into in
// document order. Variables, functions and `cd` carry from block to block as they would at a prompt.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { SourcePos } from '../model/types.js';
import { StepProcesses } from '../proc/processes.js';
import { OutputTail } from './output.js';
import { KILL_GRACE_MS, killTree } from '../proc/stop.js';
import { controlLine, initScript, readStatus, shellWord } from './protocol.js';

/** A block as the shell gets it: its text and where its opening fence stands. */
export interface ShellBlock {
  content: string;
  pos: SourcePos;
}

export interface BlockOutcome {
  /** the fence, `file:line` */
  at: string;
  /** 0 when every command succeeded; otherwise the failing command's status */
  exitCode: number;
  /** where in the Markdown the command that failed stands, and its text */
  failedAt?: { pos: SourcePos; command: string };
  /** the shell itself ended (`exit` in a block, or killed): later blocks cannot run */
  shellEnded?: string;
  /** ended by the step's timeout or an interrupt */
  stopped?: string;
  stdout: string;
  stderr: string;
  durationMs: number;
}

const requireAtRunTime = createRequire(import.meta.url);
const zx = () => requireAtRunTime('zx/core') as typeof import('zx/core');

/** A stopped block's processes get KILL_GRACE_MS between SIGTERM and SIGKILL, and the shell as long after that to come back. */
const GRACE_MS = KILL_GRACE_MS;

export class ShellSession {
  private readonly dir = mkdtempSync(join(tmpdir(), 'podlab-shell-'));
  private readonly processes = new StepProcesses();
  private readonly proc: import('zx/core').ProcessPromise;
  private readonly stdout = new OutputTail();
  private readonly stderr = new OutputTail();
  private ended: string | undefined;
  private waiting: (() => void) | undefined;
  private count = 0;

  constructor(o: { cwd: string; env: Record<string, string> }) {
    // Started by /bin/sh, which reads no ~/.bashrc (bash would: its stdin is a socket). The init file is
    // sourced before the first block.
    writeFileSync(join(this.dir, 'init.sh'), initScript(this.dir));
    const $ = zx().$({
      cwd: o.cwd,
      env: o.env,
      quiet: true,
      nothrow: true,
      prefix: '',
      shell: '/bin/sh',
      spawn: this.processes.spawn,
    } as never) as unknown as import('zx/core').Shell;
    this.proc = $`exec bash --noprofile --norc`;
    this.proc.stdout.on('data', (d: Buffer) => {
      this.stdout.push(d);
      this.waiting?.();
    });
    this.proc.stderr.on('data', (d: Buffer) => {
      this.stderr.push(d);
      this.waiting?.();
    });
    void this.proc.exitCode.then((code: number | null) => {
      this.ended ??= `the shell exited with status ${code ?? 'unknown'}${this.exitLine()}`;
      this.waiting?.();
    });
    this.proc.stdin.on('error', () => {
      /* the shell is gone: `ended` says so */
    });
    this.proc.stdin.write(`builtin source ${shellWord(join(this.dir, 'init.sh'))} </dev/null\n`);
  }

  get alive(): boolean {
    return this.ended === undefined;
  }
  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** Types the block and waits until it is done, failed at a command, or stopped by `signal`. Never throws. */
  async run(block: ShellBlock, signal: AbortSignal): Promise<BlockOutcome> {
    const started = Date.now();
    const at = `${block.pos.file}:${block.pos.line}`;
    const base = { at, stdout: '', stderr: '', durationMs: 0 };
    if (this.ended) return { ...base, exitCode: -1, shellEnded: this.ended };
    const n = ++this.count;
    const file = join(this.dir, `block-${n}.sh`);
    writeFileSync(file, block.content);
    writeFileSync(join(this.dir, 'status'), '');
    const nonce = randomBytes(12).toString('hex');
    this.stdout.mark();
    this.stderr.mark();
    this.proc.stdin.write(controlLine(file, nonce));
    const outcome = await this.until(nonce, signal);
    const stdout = this.stdout.sinceMark(`\n${nonce} done`);
    // bash names the block's temporary file in its messages: name the Markdown line instead.
    const stderr = this.stderr
      .sinceMark(`\n${nonce} done`)
      .replaceAll(`${file}: line `, `${block.pos.file}: line +`)
      .replace(/: line \+(\d+)/g, (_, n: string) => `:${block.pos.line + Number(n)}`);
    const result: BlockOutcome = {
      ...base,
      exitCode: outcome.code ?? -1,
      stdout,
      stderr,
      durationMs: Date.now() - started,
    };
    if (outcome.stopped) result.stopped = outcome.stopped;
    if (this.ended) result.shellEnded = this.ended;
    if (result.exitCode !== 0) {
      const line = this.failedLine(file);
      if (line !== undefined) {
        result.failedAt = {
          pos: { file: block.pos.file, line: block.pos.line + line, col: 1 },
          command: block.content.split('\n')[line - 1]?.trim() ?? '',
        };
      }
    }
    return result;
  }

  /** Ends the shell and everything it started (its process group); removes its files. */
  async close(): Promise<void> {
    this.ended ??= 'the shell was closed';
    this.proc.stdin.end();
    await this.processes.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async until(nonce: string, signal: AbortSignal): Promise<{ code?: number; stopped?: string }> {
    const done = () => {
      const m = new RegExp(`\\n${nonce} done (\\d+)\\n`).exec(this.stdout.current());
      return m && this.stderr.current().includes(`\n${nonce} done\n`) ? Number(m[1]) : undefined;
    };
    const wait = (ms?: number) =>
      new Promise<void>((resolve) => {
        const timer = ms === undefined ? undefined : setTimeout(resolve, ms);
        const onAbort = () => resolve();
        signal.addEventListener('abort', onAbort, { once: true });
        this.waiting = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
      });
    while (!signal.aborted) {
      const code = done();
      if (code !== undefined) return { code };
      if (this.ended) return {};
      await wait();
    }
    // Stopped: end what the block started, then give the shell a moment to come back to its prompt.
    const stopped = signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'stopped');
    await killTree(this.proc.pid!, GRACE_MS);
    for (const deadline = Date.now() + GRACE_MS; Date.now() < deadline && !this.ended;) {
      const code = done();
      if (code !== undefined) return { code, stopped };
      await wait(deadline - Date.now());
    }
    const code = done();
    if (code !== undefined) return { code, stopped };
    // A block busy in the shell itself (a `while true` loop) cannot be stopped on its own: the session ends.
    await this.close();
    this.ended = `the shell was ended: ${stopped}, and it did not come back from the block`;
    return { stopped };
  }

  /** The block line of the command that failed: the last failure recorded in the block's own file. */
  private failedLine(file: string): number | undefined {
    const records = readStatus(this.dir).filter((r) => r.kind === 'err' && r.file === file);
    return records.at(-1)?.line;
  }

  private exitLine(): string {
    const exit = readStatus(this.dir).find((r) => r.kind === 'exit');
    return exit?.file.startsWith(this.dir) ? ' (`exit` in a block)' : '';
  }
}
