// podlab room up | down | grant | revoke: the command line; what they do is in room.ts and
// grader-grants.ts, loaded on use.
import { Option } from 'commander';
import type { PodlabCommand } from './command.js';
import { InvalidArgumentError } from 'commander';
import { counts, withCluster } from './options.js';
import type { Redactor } from '../report/redact.js';

/** `8h`, `90m`, `1h30m`, `3600s` → seconds; at least 10 minutes (the TokenRequest API's shortest). */
function duration(v: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v.trim());
  const s = m && v.trim() ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : NaN;
  if (!Number.isFinite(s) || s < 600 || s > 7 * 24 * 3600)
    throw new InvalidArgumentError('expected a duration from 10m to 168h, such as 8h, 90m or 1h30m');
  return s;
}

const who = (cmd: PodlabCommand) =>
  cmd
    .option('--attendees <n>', 'this many attendees: <prefix>1 ... <prefix>N', counts)
    .option('--names <a,b,...>', 'attendees by name: <prefix>ana, <prefix>bo, ...')
    .option('--prefix <prefix>', "the attendees' namespace prefix; it also names the room", 'attendee-');
const platform = (cmd: PodlabCommand) =>
  cmd.addOption(
    new Option('--platform <name>', "the blocks the attendees' runs type (default: detected)").choices([
      'aks',
      'other',
      'local',
    ]),
  );

/** room ...: the instructor's room on a shared cluster. */
export function roomCommands(prog: PodlabCommand): void {
  const room = prog
    .command('room')
    .description("instructor: a workshop's room on one shared cluster (plan, up, status, down; grant, revoke)");
  // commander has checked the options each command declares; room.ts types them
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const act = (name: 'up' | 'down' | 'status') => async (redactor: Redactor, lab: string, opts: any) =>
    (await import('./room.js'))[name](lab, opts, redactor);

  planCommand(room);
  platform(who(withCluster(room.command('up <lab>'))))
    .description(
      "as a cluster admin: per attendee a namespace, an account with the rights the lab's text needs there, a ResourceQuota and LimitRange cut from the lab, a kubeconfig; the grader's rights; the admission policy (idempotent)",
    )
    .option('--duration <time>', "how long the kubeconfigs' tokens last", duration, 8 * 3600)
    .option('--out <dir>', 'write the kubeconfigs here (default: podlab-room-<room>)')
    .option('--force', 'go on even if the plan says the cluster cannot hold the room (else exit 4 with the reason)')
    .runs(act('up'));
  withCluster(room.command('status <lab>'))
    .description(
      "the room as it stands: per attendee its pods, its quota's use, and each Pending pod with the cluster's reason",
    )
    .option('--prefix <prefix>', "the attendees' namespace prefix", 'attendee-')
    .addOption(new Option('--format <format>', 'text or json').choices(['text', 'json']).default('text'))
    .runs(act('status'));
  withCluster(room.command('down <lab>'))
    .description("delete everything `room up` made (the namespaces waited for until gone) and the room's kubeconfigs")
    .option('--prefix <prefix>', "the attendees' namespace prefix", 'attendee-')
    .option('--out <dir>', 'where `room up` wrote the kubeconfigs (default: podlab-room-<room>)')
    .runs(act('down'));
  graderCommands(room);
}

/** room plan: the room's capacity, from the cluster or from an AKS node size and a runtime profile's table. */
function planCommand(room: PodlabCommand): void {
  platform(withCluster(room.command('plan <lab>')))
    .description(
      "the nodes a room needs: one attendee's peak (pods alive at once in the text, requests, CPU and memory at the stress-ng burst, the RuntimeClass overhead) against each node's allocatable CPU, memory and pods; which resource binds. Exit 4 when the cluster cannot hold the room",
    )
    .requiredOption('--attendees <n>', 'the room: this many attendees', counts)
    .option('--node-size <size>', "an AKS VM size (e.g. Standard_D4s_v3) instead of the cluster's nodes")
    .option(
      '--max-pods <n>',
      'pods per node with --node-size (az aks create --max-pods; default 30, Azure CNI)',
      counts,
    )
    .option(
      '--profile <id>',
      "take the RuntimeClass overhead from this runtime profile's table (aks) instead of the cluster",
    )
    .addOption(new Option('--format <format>', 'text or json').choices(['text', 'json']).default('text'))
    .runs(async (redactor, lab: string, opts) => (await import('./room-plan.js')).plan(lab, opts as never, redactor));
}

const GRANTS = {
  grant: {
    description:
      "let the grader's ServiceAccount read what checks read, and exec and read logs only in the attendees' namespaces (a Role each; `room up` does this too)",
    dryRun: 'print the objects as YAML instead of applying them',
  },
  revoke: {
    description:
      "delete what grant made: the Roles in the attendees' namespaces, the cluster-wide reads, the account and its namespace",
    dryRun: 'say what would be deleted',
  },
} as const;

/** room grant | revoke: the grader's rights alone, for namespaces made some other way. */
function graderCommands(room: PodlabCommand): void {
  for (const [name, help] of Object.entries(GRANTS) as Array<
    [keyof typeof GRANTS, (typeof GRANTS)[keyof typeof GRANTS]]
  >) {
    withCluster(room.command(name))
      .description(help.description)
      .requiredOption('--namespaces <glob|selector|names>', "the attendees' namespaces, as for grade --namespaces")
      .option('--service-account <namespace/name>', 'the grader account', 'podlab-grading/podlab-grader')
      .option('--dry-run', help.dryRun)
      .runs(async (redactor, opts) => (await import('./grader-grants.js'))[name](opts, redactor));
  }
}
