// What each podlab command does. Imported only when a command runs, so `podlab --help` and usage errors do not
// load the Kubernetes client, the lab parser or the reporters.
import { ResultsOut } from './results-file.js';
import { execa } from 'execa';
import type { Platform } from '../plan/blocks.js';
import type { LiveFlags } from './check-serve.js';
import { UsageError } from '../errors.js';
import { selectSteps, type Plan, type PlannedStep, type StepSelection } from '../plan/plan.js';
import { runLab } from '../runner/run.js';
import type { PointResult, RunResult } from '../report/model.js';
import type { Redactor } from '../report/redact.js';
import { RunTap, toTap } from '../report/tap.js';
import { toJUnit } from '../report/junit.js';
import { toJson } from '../report/json.js';
import { stepStatusLine, solveLine, toText } from '../report/text.js';
import { liveSteps } from './live.js';
import { doctor as preflight, type DoctorFlags } from './doctor.js';
import { EXIT, type Outcome } from './exit.js';
import { connect, interruptible, journalNotes, journalOf, planOf, root } from './common.js';
import { clusterId, type ClusterTarget } from '../k8s/kubeconfig.js';

/** The report in the format asked for, redacted with the command's redactor. */
function render(r: RunResult, reporter: string, redactor: Redactor): string {
  return reporter === 'junit'
    ? toJUnit(r, redactor)
    : reporter === 'json'
      ? toJson(r, redactor)
      : reporter === 'text'
        ? toText(r, redactor)
        : toTap(r, redactor);
}

/** The steps `--step`, `--from` and `--to` select, chosen once for the run and its display; an unknown id is usage. */
function stepsOf(plan: Plan, sel: StepSelection): PlannedStep[] | UsageError {
  const { steps, problem } = selectSteps(plan, sel);
  return problem ? new UsageError(problem) : steps;
}

export interface PerformFlags {
  platform?: Platform;
  via?: 'text' | 'scenario';
}

export async function run(
  labArg: string,
  opts: ClusterTarget &
    PerformFlags & {
      step?: string;
      from?: string;
      to?: string;
      keep?: boolean;
      reporter: string;
      output?: string;
      report?: Array<[string, string]>;
      sandboxRuntime?: string;
      updateOutputs?: boolean;
    },
  redactor: Redactor,
): Promise<Outcome> {
  const plan = await planOf(labArg);
  if (!plan) return EXIT.usage;
  const { cluster, path } = connect(opts, redactor);
  const selected = stepsOf(plan, opts);
  if (selected instanceof UsageError) return selected;
  const ac = interruptible();
  const live = liveSteps(selected, redactor);
  const statusLine = (s: PointResult) => stepStatusLine(s, redactor);
  // TAP on stdout is written as each step ends, so a CI log shows the run as it goes.
  const stream = opts.reporter === 'tap' && !opts.output ? new RunTap(live.stdout, redactor) : undefined;
  const outputUpdates = opts.updateOutputs ? [] : undefined;
  const r = await runLab(plan, {
    outputUpdates,
    cluster,
    kubeconfigPath: path,
    mode: 'run',
    steps: selected,
    keep: opts.keep,
    sandboxRuntime: opts.sandboxRuntime,
    platform: opts.platform,
    via: opts.via,
    signal: ac.signal,
    onStart: (started) => stream?.start(started),
    onNote: (line) => live.note(`podlab: ${line}`),
    onStepStart: live.start,
    onStep: (s) => {
      live.done(s, statusLine);
      stream?.step(s);
    },
    onTeardown: (s) => live.done(s, statusLine),
  });
  live.stop();
  const out = new ResultsOut();
  if (stream) stream.end(r);
  else out.write(opts.output, render(r, opts.reporter, redactor), 'report');
  for (const [reporter, file] of opts.report ?? [])
    out.write(file, render(r, reporter, redactor), `${reporter} report`);
  if (outputUpdates) await updateOutputs(outputUpdates);
  return out.exit(r.ok ? EXIT.ok : EXIT.failed);
}

/** Writes what --update-outputs collected and shows the diff on stderr (stdout may be the report). */
async function updateOutputs(updates: import('../runner/outputs.js').OutputUpdate[]): Promise<void> {
  const { diff, notes } = (await import('./update-outputs.js')).writeOutputUpdates(updates);
  for (const n of notes) process.stderr.write(`podlab: ${n}\n`);
  process.stderr.write(
    diff
      ? `${diff}\npodlab: output blocks rewritten from this run; review the diff and commit it\n`
      : 'podlab: every output block matched this run; nothing rewritten\n',
  );
}

export async function check(
  labArg: string,
  opts: ClusterTarget & LiveFlags & { namespace: string; reporter: string; record?: string | boolean },
  redactor: Redactor,
): Promise<Outcome> {
  const plan = await planOf(labArg);
  if (!plan) return EXIT.usage;
  const journal = journalOf(opts);
  if (opts.serve || opts.watch) {
    const signal = interruptible().signal;
    return (await import('./check-serve.js')).liveCheck(plan, { ...opts, journal, signal, redactor });
  }
  const { cluster, path } = connect(opts, redactor);
  const progress = journal && { journal, cluster: clusterId(cluster) };
  const r = await runLab(plan, {
    cluster,
    kubeconfigPath: path,
    mode: 'check',
    namespace: opts.namespace,
    signal: interruptible().signal,
    progress,
  });
  process.stdout.write(render(r, opts.reporter, redactor));
  const out = new ResultsOut();
  journalNotes(journal, out);
  return out.exit(r.steps.every((s) => s.status !== 'fail') ? EXIT.ok : EXIT.failed);
}

export async function solve(
  labArg: string,
  opts: ClusterTarget & PerformFlags & { to: string; namespace: string },
  redactor: Redactor,
): Promise<Outcome> {
  const plan = await planOf(labArg);
  if (!plan) return EXIT.usage;
  const { cluster, path } = connect(opts, redactor);
  const selected = stepsOf(plan, opts);
  if (selected instanceof UsageError) return selected;
  const live = liveSteps(selected, redactor);
  const r = await runLab(plan, {
    cluster,
    kubeconfigPath: path,
    mode: 'solve',
    namespace: opts.namespace,
    steps: selected,
    platform: opts.platform,
    via: opts.via,
    signal: interruptible().signal,
    onNote: (line) => live.note(`podlab: ${line}`),
    onStepStart: live.start,
    onStep: (s) => {
      live.done(s);
      live.stdout(`${solveLine(s, redactor)}\n`);
    },
  });
  live.stop();
  return r.ok ? EXIT.ok : EXIT.failed;
}

export async function doctor(opts: DoctorFlags, redactor: Redactor): Promise<Outcome> {
  return (await preflight(opts, redactor)) ? EXIT.ok : EXIT.environment;
}

export async function cluster(action: string, args: string[]): Promise<Outcome> {
  if (!['up', 'down', 'status', 'env'].includes(action))
    return new UsageError(`unknown cluster action "${action}" (up, down, status, env)`);
  const r = await execa('bash', [`${root}/cluster/podlab-cluster.sh`, action, ...args], {
    stdio: 'inherit',
    reject: false,
  });
  return r.exitCode ?? EXIT.environment;
}
