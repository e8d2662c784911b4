// podlab room grant | revoke: the command line; what they do is in room.ts, loaded on use.
import type { PodlabCommand } from './command.js';
import { withCluster } from './options.js';

const ACTIONS = {
  grant: {
    description:
      "let the grader's ServiceAccount read what checks read, and exec and read logs only in the attendees' namespaces (a Role each)",
    dryRun: 'print the objects as YAML instead of applying them',
  },
  revoke: {
    description:
      "delete what grant made: the Roles in the attendees' namespaces, the cluster-wide reads, the account and its namespace",
    dryRun: 'say what would be deleted',
  },
} as const;

/** room grant | revoke: the grader's rights. */
export function rightsCommands(prog: PodlabCommand): void {
  const room = prog.command('room').description("instructor: the grader's rights for a room (grant, revoke)");
  for (const [name, help] of Object.entries(ACTIONS) as Array<
    [keyof typeof ACTIONS, (typeof ACTIONS)[keyof typeof ACTIONS]]
  >) {
    withCluster(room.command(name))
      .description(help.description)
      .requiredOption('--namespaces <glob|selector|names>', "the attendees' namespaces, as for grade --namespaces")
      .option('--service-account <namespace/name>', 'the grader account', 'podlab-grading/podlab-grader')
      .option('--dry-run', help.dryRun)
      .runs(async (opts) => (await import('./room.js'))[name](opts));
  }
}
