// The podlab command line.
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { execa } from 'execa';
import { loadLab } from '../model/load.js';
import { formatDiagnostic, lintPaths } from '../lint/lint.js';
import { Cluster } from '../k8s/cluster.js';
import { EnvironmentError, UsageError, kubeconfigPath, loadKubeConfig } from '../k8s/kubeconfig.js';
import { runLab, type RunOptions } from '../runner/run.js';
import type { RunResult } from '../report/model.js';
import { summarize } from '../report/model.js';
import { toTap } from '../report/tap.js';
import { toJUnit } from '../report/junit.js';
import { toJson } from '../report/json.js';
import { redact } from '../report/redact.js';
import { doctor } from './doctor.js';
import { Room } from '../grade/cohort.js';
import { sourcesFrom } from '../grade/sources.js';
import { live } from '../grade/live.js';
import { toCsv, toJUnit as gradeJUnit, toTable, type GradeMatrix } from '../grade/matrix.js';
import { formatStats } from '../k8s/counted.js';
import { EXIT, ExitWith, exitCodeFor } from './exit.js';
import { repoRoot } from './paths.js';

const root = repoRoot();

interface ClusterFlags { kubeconfig?: string; context?: string }

function withCluster(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, then the embedded cluster)')
    .option('--context <name>', 'kubeconfig context to use');
}

async function loadOrExit(labArg: string) {
  const { lab, diagnostics } = await loadLab(labArg, { root });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!lab || errors.length) {
    for (const d of errors) console.error(formatDiagnostic(d));
    throw new ExitWith(EXIT.usage);
  }
  return lab;
}

function connect(flags: ClusterFlags) {
  const kc = loadKubeConfig(flags);
  return { cluster: new Cluster(kc), path: kubeconfigPath(flags) };
}

/** SIGINT/SIGTERM abort the current step; teardown still runs, then podlab exits non-zero. */
function interruptible(): AbortController {
  const ac = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (ac.signal.aborted) return;
    console.error(`podlab: ${sig} received: stopping the current step and tearing down`);
    ac.abort(new Error(`interrupted by ${sig}`));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return ac;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`expected a whole number of at least 1, got "${v}"`);
  return n;
}

function render(r: RunResult, reporter: string): string {
  return reporter === 'junit' ? toJUnit(r) : reporter === 'json' ? toJson(r) : toTap(r);
}

export function program(): Command {
  const prog = new Command('podlab')
    .description('Hands-on Kubernetes labs whose every step is checked against a live cluster.\n\nExit codes: 0 all passed, 1 a check failed, 2 bad input or usage, 3 environment (no cluster, preflight).')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError();

  withCluster(prog.command('run <lab>'))
    .description('perform every scenario step and its check in a fresh namespace, then tear down (TAP on stdout)')
    .option('--step <id>', 'only this step')
    .option('--from <id>', 'start at this step')
    .option('--keep', 'keep the namespace and its objects (no teardown)')
    .addOption(new Option('--reporter <name>', 'output format').choices(['tap', 'junit', 'json']).default('tap'))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--sandbox-runtime <name>', "use this RuntimeClass as the sandbox, or 'none' to act as if there were none")
    .action(async (labArg: string, opts: ClusterFlags & { step?: string; from?: string; keep?: boolean; reporter: string; output?: string; sandboxRuntime?: string }) => {
      const lab = await loadOrExit(labArg);
      const { cluster, path } = connect(opts);
      const ac = interruptible();
      const r = await runLab(lab, { root, cluster, kubeconfigPath: path, mode: 'run', step: opts.step, from: opts.from, keep: opts.keep, sandboxRuntime: opts.sandboxRuntime, signal: ac.signal,
        onStep: (s) => console.error(`podlab: ${s.status.toUpperCase().padEnd(4)} ${s.id}${s.reason ? ` — ${redact(s.reason)}` : ''}`) });
      const report = render(r, opts.reporter);
      if (opts.output) writeFileSync(opts.output, report); else process.stdout.write(report);
      throw new ExitWith(r.ok ? EXIT.ok : EXIT.failed);
    });

  withCluster(prog.command('check <lab>'))
    .description("read-only: run only the checks against an attendee's namespace and show progress")
    .requiredOption('-n, --namespace <ns>', 'the namespace holding your work')
    .addOption(new Option('--reporter <name>', 'output format').choices(['text', 'tap', 'junit', 'json']).default('text'))
    .action(async (labArg: string, opts: ClusterFlags & { namespace: string; reporter: string }) => {
      const lab = await loadOrExit(labArg);
      const { cluster, path } = connect(opts);
      const r = await runLab(lab, { root, cluster, kubeconfigPath: path, mode: 'check', namespace: opts.namespace, signal: interruptible().signal });
      if (opts.reporter !== 'text') process.stdout.write(render(r, opts.reporter));
      else printProgress(r);
      throw new ExitWith(r.steps.every((s) => s.status !== 'fail') ? EXIT.ok : EXIT.failed);
    });

  withCluster(prog.command('solve <lab>'))
    .description('fast-forward: perform the scenario steps up to and including a step, in your namespace')
    .requiredOption('--to <step>', 'last step to perform')
    .requiredOption('-n, --namespace <ns>', 'the namespace to work in (created if missing)')
    .action(async (labArg: string, opts: ClusterFlags & { to: string; namespace: string }) => {
      const lab = await loadOrExit(labArg);
      const { cluster, path } = connect(opts);
      const r = await runLab(lab, { root, cluster, kubeconfigPath: path, mode: 'solve', namespace: opts.namespace, to: opts.to, signal: interruptible().signal,
        onStep: (s) => console.log(`${s.status === 'pass' ? '✓' : s.status === 'skip' ? '-' : '✗'} ${s.id}${s.reason ? ` — ${redact(s.reason)}` : ''}`) });
      throw new ExitWith(r.ok ? EXIT.ok : EXIT.failed);
    });

  withCluster(prog.command('grade <lab>'))
    .description("instructor: check every attendee (read-only, in parallel) and print the attendee × step matrix")
    .option('--namespaces <glob|selector|names>', "attendee namespaces: a glob such as 'attendee-*', a label selector such as 'workshop=pod-sandboxing', or names 'ana,bo'")
    .option('--contexts <a,b,...>', 'one kubeconfig context per attendee (from --kubeconfig or $KUBECONFIG); each graded in its namespace, or in --namespaces')
    .option('--kubeconfig-dir <dir>', 'one kubeconfig file per attendee in this directory (the file name is the attendee)')
    .addOption(new Option('--format <name>', 'output format').choices(['table', 'json', 'csv', 'junit']).default('table'))
    .option('--output <file>', 'write the result to a file instead of stdout (rewritten on every change with --watch)')
    .option('--concurrency <n>', 'attendees graded at once', positiveInt, 8)
    .option('--exec-concurrency <n>', 'commands run in attendee pods at once, across the whole room', positiveInt, 8)
    .option('--serve <[host]:port>', 'serve a live scoreboard page, e.g. :8080 (every interface) or 127.0.0.1:8080')
    .option('--watch', 'keep grading: watch the cluster and regrade on every change (and every --interval)')
    .option('--interval <seconds>', 'with --watch: regrade at least this often, for results only a command in a pod shows', positiveInt, 30)
    .action(async (labArg: string, opts: ClusterFlags & { namespaces?: string; contexts?: string; kubeconfigDir?: string; format: string; output?: string;
      concurrency: number; execConcurrency: number; serve?: string; watch?: boolean; interval: number }) => {
      if (!opts.namespaces && !opts.contexts && !opts.kubeconfigDir) throw new UsageError('say whom to grade: --namespaces, --contexts or --kubeconfig-dir');
      const lab = await loadOrExit(labArg);
      const sources = sourcesFrom(opts);
      const ac = interruptible();
      const room = new Room(lab, { root, sources, namespaces: opts.namespaces, concurrency: opts.concurrency, execConcurrency: opts.execConcurrency, signal: ac.signal });
      const render = (m: GradeMatrix) => redact(opts.format === 'json' ? JSON.stringify(m, null, 2) + '\n' : opts.format === 'csv' ? toCsv(m) : opts.format === 'junit' ? gradeJUnit(m) : toTable(m));
      const emit = (m: GradeMatrix) => { if (opts.output) writeFileSync(opts.output, render(m)); else process.stdout.write(render(m)); };
      const started = Date.now();
      const first = await room.grade();
      if (sources.length === 1 && !sources[0]!.label && first.attendees.length === 1 && first.attendees[0]!.attendee === '(cluster)') {
        throw new EnvironmentError(first.attendees[0]!.error ?? 'cannot reach the cluster');
      }
      if (first.attendees.length === 0) throw new UsageError(`no namespace matches ${opts.namespaces}`);
      emit(first);
      console.error(`podlab grade: graded ${first.attendees.length} attendees in ${Date.now() - started} ms, ${formatStats(room.stats())}`);
      if (!opts.serve && !opts.watch) throw new ExitWith(EXIT.ok);
      await live(room, first, { ...opts, emit, signal: ac.signal });
      throw new ExitWith(EXIT.ok);
    });

  prog.command('lint [paths...]')
    .description('check labs: front matter schema, step structure, lab ↔ scenario pairing, referenced manifests')
    .action(async (paths: string[]) => {
      const diagnostics = await lintPaths(paths.length ? paths : ['labs/'], { root });
      for (const d of diagnostics) console.error(formatDiagnostic(d));
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      console.error(errors ? `podlab lint: ${errors} error(s)` : 'podlab lint: ok');
      throw new ExitWith(errors ? EXIT.usage : EXIT.ok);
    });

  withCluster(prog.command('doctor'))
    .description('preflight: API reachable, RBAC, sandbox RuntimeClass and a node for it, kubectl on PATH (TAP)')
    .action(async (opts: ClusterFlags) => {
      const ok = await doctor(opts);
      throw new ExitWith(ok ? EXIT.ok : EXIT.environment);
    });

  prog.command('cluster <action> [args...]')
    .description('the embedded cluster: up | down [--purge] | status | env')
    .allowUnknownOption()
    .action(async (action: string, args: string[]) => {
      if (!['up', 'down', 'status', 'env'].includes(action)) throw new UsageError(`unknown cluster action "${action}" (up, down, status, env)`);
      const r = await execa('bash', [`${root}/cluster/podlab-cluster.sh`, action, ...args], { stdio: 'inherit', reject: false });
      throw new ExitWith(r.exitCode ?? EXIT.environment);
    });

  return prog;
}

function printProgress(r: RunResult) {
  for (const s of r.steps) {
    const mark = s.status === 'pass' ? '✓' : s.status === 'skip' ? '-' : '✗';
    console.log(`${mark} ${s.id.padEnd(24)} ${s.title}`);
    if (s.status !== 'pass') console.log(`    ${s.status === 'skip' ? 'skipped: ' : ''}${redact(s.hint ?? s.reason ?? '')}`);
  }
  const { pass, skip } = summarize(r);
  console.log(`\n${pass}/${r.steps.length - skip} done${skip ? ` (${skip} skipped)` : ''}`);
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    const { code, message } = exitCodeFor(err);
    if (message) console.error(`podlab: ${redact(message.split('\n')[0]!)}`);
    if (process.env.PODLAB_DEBUG && message) console.error(redact((err as Error)?.stack ?? ''));
    return code;
  }
}
