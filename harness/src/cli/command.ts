// A podlab command line: each command's action returns what it ended with, an exit code or an error as a
// value; the program keeps it, mapped by exit.ts, for main to print and return. Nothing else sets an exit code.
import { Command } from 'commander';
import { EXIT, exitCodeFor, type Ending, type Outcome } from './exit.js';

const program = (c: Command): PodlabCommand => (c.parent ? program(c.parent) : (c as PodlabCommand));

export class PodlabCommand extends Command {
  /** what the command that ran ended with (on the program, the root command) */
  ending: Ending = { code: EXIT.ok };

  override createCommand(name?: string): PodlabCommand {
    return new PodlabCommand(name);
  }

  /**
   * The action: its outcome, or the error it threw, becomes the program's ending. Commander hands over the
   * arguments and options untyped (`never` here), so each action names their types.
   */
  runs(action: (...args: never[]) => Promise<Outcome>): this {
    return this.action(async (...args: unknown[]) => {
      const outcome = await action(...(args as never[])).catch((err: unknown) => err);
      program(this).ending =
        typeof outcome === 'number' ? { code: outcome } : { ...exitCodeFor(outcome), error: outcome };
    });
  }
}
