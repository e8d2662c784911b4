// Where a command's results go: a full disk or a path that cannot be written must not lose a run or a room's
// grade. One ResultsOut per command writes every result file (--output, --report, rehearse's report); a write that
// fails says once what failed, where and why, and the results follow on stdout. What could not be kept at all (a
// progress record that cannot be appended to) is said once too. Either way the command ends with exit 3.
import { writeFileSync } from 'node:fs';
import { visible } from '../terminal.js';
import { EXIT } from './exit.js';

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code ?? String((err as Error).message ?? err);

export class ResultsOut {
  private readonly said = new Set<string>();
  private lost = false;

  /** The results (`what`: "report", "grade") to `file`, or to stdout without one; a failed write goes to stdout. */
  write(file: string | undefined, text: string, what: string): void {
    if (file === undefined) return void process.stdout.write(text);
    try {
      writeFileSync(file, text);
    } catch (err) {
      this.lost = true;
      this.say(`cannot write the ${what} to ${file} (${errno(err)}): the ${what} follows on stdout instead`);
      process.stdout.write(text);
    }
  }

  /** Something the command was asked to keep and could not (the progress record): said once, and the exit is 3. */
  notKept(message: string): void {
    this.lost = true;
    this.say(message);
  }

  /** A note on stderr, once per command however often it recurs (a --watch regrades on every change). */
  say(message: string): void {
    if (this.said.has(message)) return;
    this.said.add(message);
    console.error(`podlab: ${visible(message)}`);
  }

  /** The command's exit code: 3 (environment) when a result did not reach where it was asked for, else `code`. */
  exit(code: number): number {
    return this.lost ? EXIT.environment : code;
  }
}
