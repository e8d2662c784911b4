// The podlab command line: commands, options and help. What a command does lives in actions.ts, loaded on use.
import { visible, visibleLines } from '../terminal.js';
import { Option } from 'commander';
import { PodlabCommand } from './command.js';
import { exitCodeFor, type Ending } from './exit.js';
import { Redactor } from '../report/redact.js';
import { parseListen } from '../serve/listen.js';
import { readFileSync } from 'node:fs';
import { checkEnvNumbers } from '../numbers.js';
import { join } from 'node:path';
import { repoRoot } from '../paths.js';
import { roomCommands } from './room-commands.js';
import { rehearseCommands } from './rehearse-command.js';
import {
  counts,
  extraReport,
  intervalSeconds,
  lintSeconds,
  timeoutSeconds,
  withAttendeeFiles,
  withCluster,
  withPerform,
  withRecord,
  withAllowHost,
} from './options.js';

/** The version in podlab's own package.json, so that `podlab --version` cannot drift from it. */
const version = (JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;

export function program(): PodlabCommand {
  const prog = new PodlabCommand('podlab')
    .description(
      'Hands-on Kubernetes labs whose every step is checked against a live cluster.\n\n' +
        'Exit codes: 0 all passed, 1 a check failed, 2 bad input or usage, 3 environment (no cluster, preflight).',
    )
    .version(version)
    .exitOverride()
    .showHelpAfterError();
  labCommands(prog);
  gradeLintClusterCommands(prog);
  roomCommands(prog);
  rehearseCommands(prog);
  doctorCommand(prog);
  return prog;
}

/** run, check, solve: one lab against one namespace. */
function labCommands(prog: PodlabCommand): void {
  withPerform(withCluster(prog.command('run <lab>')))
    .description(
      "type every step's shell blocks into one shell, then run its check, in a fresh namespace (given as $NS); then tear down (TAP on stdout)",
    )
    .option('--step <id>', 'only this step')
    .option('--from <id>', 'start at this step (the text of the steps before it is typed first, unchecked)')
    .option('--to <id>', 'stop after this step')
    .option('--keep', 'keep the namespace and its objects (no teardown)')
    .addOption(new Option('--reporter <name>', 'output format').choices(['tap', 'junit', 'json']).default('tap'))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option(
      '--report <format=file>',
      'also write this report at the end, e.g. junit=run.xml or json=run.json (repeatable)',
      extraReport,
      [],
    )
    .option('--sandbox-runtime <name>', "use this RuntimeClass as the sandbox, or 'none' to act as if there were none")
    .option(
      '--update-outputs',
      "rewrite the output blocks this platform's run prints differently (patterns kept where they match) and show the diff",
    )
    .runs(async (redactor, labArg, opts) => (await import('./actions.js')).run(labArg, opts, redactor));

  withAllowHost(withRecord(withCluster(prog.command('check <lab>'))))
    .description("read-only: run only the checks against an attendee's namespace and show progress")
    .requiredOption('-n, --namespace <ns>', 'the namespace holding your work')
    .addOption(
      new Option('--reporter <name>', 'output format').choices(['text', 'tap', 'junit', 'json']).default('text'),
    )
    .option('--watch', 'check again whenever the namespace changes (redrawn in place in a terminal; Ctrl-C to stop)')
    .option(
      '--serve <[host]:port>',
      "serve the lab as a page beside your live progress (implies --watch): :7080 is this machine only (Azure Cloud Shell's web preview opens it; docs/attendee.md); 0.0.0.0:7080 lets others open it, with a token printed once",
      parseListen,
    )
    .addOption(
      new Option(
        '--platform <name>',
        'with --serve: the platform whose commands the page shows first (default: detected)',
      ).choices(['local', 'aks', 'other']),
    )
    .option(
      '--interval <seconds>',
      'with --watch or --serve: check again at least this often, for results only a command in a pod shows (1-86400)',
      intervalSeconds,
      30,
    )
    .runs(async (redactor, labArg, opts) => (await import('./actions.js')).check(labArg, opts, redactor));

  withPerform(withCluster(prog.command('solve <lab>')))
    .description("fast-forward: type the lab's shell blocks up to and including a step, in your namespace (as $NS)")
    .requiredOption('--to <step>', 'last step to perform')
    .requiredOption('-n, --namespace <ns>', 'the namespace to work in (created if missing)')
    .runs(async (redactor, labArg, opts) => (await import('./actions.js')).solve(labArg, opts, redactor));
}

/** grade, lint, cluster: the attendees' grades, the labs, the embedded cluster. */
function gradeLintClusterCommands(prog: PodlabCommand): void {
  withAllowHost(withAttendeeFiles(withRecord(withCluster(prog.command('grade <lab>')))))
    .description('instructor: check every attendee (read-only, in parallel) and print the attendee × step matrix')
    .option(
      '--namespaces <glob|selector|names>',
      "attendee namespaces: a glob such as 'attendee-*', a label selector such as 'workshop=pod-sandboxing', or names 'ana,bo'",
    )
    .option(
      '--contexts <a,b,...>',
      'one kubeconfig context per attendee (from --kubeconfig or $KUBECONFIG); each graded in its namespace, or in --namespaces',
    )

    .addOption(
      new Option('--format <name>', 'output format').choices(['table', 'json', 'csv', 'junit']).default('table'),
    )
    .option('--output <file>', 'write the result to a file instead of stdout (rewritten on every change with --watch)')
    .option('--concurrency <n>', 'attendees graded at once (1-1000)', counts, 8)
    .option('--exec-concurrency <n>', 'commands run in attendee pods at once, across the whole room', counts, 8)
    .option(
      '--serve <[host]:port>',
      'serve a live scoreboard page: :8080 listens on this machine only (127.0.0.1); 0.0.0.0:8080 or a host name lets others open it, with a token printed once',
      parseListen,
    )
    .option('--watch', 'keep grading: watch the cluster and regrade on every change (and every --interval)')
    .option(
      '--interval <seconds>',
      'with --watch: regrade at least this often, for results only a command in a pod shows (1-86400)',
      intervalSeconds,
      30,
    )
    .runs(async (redactor, labArg, opts) => (await import('./grade-command.js')).grade(labArg, opts, redactor));

  prog
    .command('lint [paths...]')
    .description(
      'check labs (default: the labs/ folder here): front matter schema, step structure, lab ↔ scenario pairing, referenced manifests, block marks',
    )
    .option('--blocks', 'list every shell block and the platforms whose runs type it')
    .option(
      '--timeout <seconds>',
      'stop after this long in all (1-86400): loading scenarios runs their top-level code; past it lint exits 5',
      lintSeconds,
      600,
    )
    .runs(async (_redactor, paths, opts) => (await import('./lint-command.js')).lint(paths, opts));

  prog
    .command('cluster <action> [args...]')
    .description(
      "the embedded cluster: up [--profile default|aks] | down [--purge] | status | env (profile aks: AKS's RuntimeClass kata-vm-isolation, node labels and image name, gVisor behind them)",
    )
    .allowUnknownOption()
    .runs(async (_redactor, action, args) => (await import('./actions.js')).cluster(action, args));
}

/** doctor: what the cluster offers the labs. */
function doctorCommand(prog: PodlabCommand): void {
  withCluster(prog.command('doctor'))
    .description(
      'preflight (TAP): API reachable, RBAC, the sandbox RuntimeClass (profile, handler, overhead, scheduling) and a node for it, ' +
        'the lab image pulled by a throwaway pod in a throwaway namespace (removed after), kubectl on PATH',
    )
    .option(
      '--image <ref>',
      'the image the pull test starts (default: $LAB_IMAGE; on AKS $ACR_NAME.azurecr.io/podlab-lab:1.0; else the embedded cluster 127.0.0.1:5000/podlab-lab:1.0)',
    )
    .option('--no-pull', 'skip the pull test (it needs rights to create a namespace and a pod)')
    .option('--pull-timeout <seconds>', 'how long the pull test waits for the image (1-3600)', timeoutSeconds, 90)
    .runs(async (redactor, opts) => (await import('./actions.js')).doctor(opts, redactor));
}

/** The one exit path: what the command ended with (or commander's own usage error), said once, as a code. */
export async function main(argv: string[]): Promise<number> {
  const prog = program();
  const ending: Ending = await Promise.resolve()
    .then(() => {
      checkEnvNumbers();
      return prog.parseAsync(argv);
    })
    .then(
      () => prog.ending,
      (err: unknown) => ({ ...exitCodeFor(err), error: err }),
    );
  // commander's own errors come before any command's redactor: patterns only, no secret known by value
  const { code, message, error, redactor = new Redactor() } = ending;
  if (message) console.error(`podlab: ${visible(redactor.redact(message.split('\n')[0]!))}`);
  if (process.env.PODLAB_DEBUG && message) console.error(visibleLines(redactor.redact((error as Error)?.stack ?? '')));
  return code;
}
