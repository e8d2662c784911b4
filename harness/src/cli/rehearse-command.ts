// podlab rehearse: the command line; what it does is in rehearse.ts (and harness/src/rehearse/), loaded on use.
import { Option, InvalidArgumentError } from 'commander';
import type { PodlabCommand } from './command.js';
import { counts, withCluster } from './options.js';

const seconds = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 600) throw new InvalidArgumentError('expected whole seconds from 1 to 600');
  return n;
};

export function rehearseCommands(prog: PodlabCommand): void {
  withCluster(prog.command('rehearse <lab>'))
    .description(
      "instructor, as a cluster admin: a dress rehearsal of a room of N. `room up` with a prefix of its own, the lab typed as written by every attendee at once (each with its own kubeconfig, so the room's rights, quota and admission policy are tested) while the grader grades the room, then `room down`. Reports each step's passes, p50 and p95, each failure's cause (capacity, quota, admission, rbac, check) and whether the final matrix is full. A room larger than the cluster holds is refused before anything starts",
    )
    .requiredOption('--attendees <n>', 'attendees typing the lab at once', counts)
    .option('--prefix <prefix>', "the attendees' namespace prefix (default: rehearse-<random>-)")
    .addOption(
      new Option('--platform <name>', "the blocks the attendees' runs type (default: detected)").choices([
        'aks',
        'other',
        'local',
      ]),
    )
    .addOption(new Option('--reporter <name>', 'output format').choices(['tap', 'junit', 'json']).default('tap'))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--grade-interval <seconds>', 'the pause between two grading passes (1-600)', seconds, 5)
    .runs(async (redactor, labArg, opts) => (await import('./rehearse.js')).rehearseCommand(labArg, opts, redactor));
}
