// A podlab command line: each command's action returns what it ended with, an exit code or an error as a
// value; the program keeps it, mapped by exit.ts, for main to print and return. Nothing else sets an exit code.
// Each run of an action gets a Redactor of its own (report/redact.ts): the command adds its kubeconfigs' credentials
// to it and hands it to what prints or serves; two commands in one process share no secret.
import { Command } from 'commander';
import { EXIT, exitCodeFor, type Ending, type Outcome } from './exit.js';
import { Redactor } from '../report/redact.js';

const program = (c: Command): PodlabCommand => (c.parent ? program(c.parent) : (c as PodlabCommand));

export class PodlabCommand extends Command {
  /** what the command that ran ended with (on the program, the root command) */
  ending: Ending = { code: EXIT.ok };

  override createCommand(name?: string): PodlabCommand {
    return new PodlabCommand(name);
  }

  /**
   * The action, given a new Redactor and then commander's arguments: its outcome, or the error it threw, becomes the
   * program's ending, with that redactor. Commander hands over the arguments and options untyped (`never` here), so
   * each action names their types.
   */
  runs(action: (redactor: Redactor, ...args: never[]) => Promise<Outcome>): this {
    return this.action(async (...args: unknown[]) => {
      const redactor = new Redactor();
      const outcome = await action(redactor, ...(args as never[])).catch((err: unknown) => err);
      const ending = typeof outcome === 'number' ? { code: outcome } : { ...exitCodeFor(outcome), error: outcome };
      program(this).ending = { ...ending, redactor };
    });
  }
}
