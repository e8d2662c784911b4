// What each podlab command does. Imported only when a command runs, so `podlab --help` and usage errors do not
// load the Kubernetes client, the lab parser or the reporters.
import { writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { loadLab } from '../model/load.js';
import { planLab, type Plan } from '../plan/plan.js';
import type { Platform } from '../plan/blocks.js';
import { blockSummary, blockTable, formatDiagnostic, lintLabs } from '../lint/lint.js';
import { Cluster } from '../k8s/cluster.js';
import { EnvironmentError, UsageError, kubeconfigPath, loadKubeConfig } from '../k8s/kubeconfig.js';
import { runLab } from '../runner/run.js';
import type { RunResult } from '../report/model.js';
import { RunTap, toTap } from '../report/tap.js';
import { toJUnit } from '../report/junit.js';
import { toJson } from '../report/json.js';
import { redact } from '../report/redact.js';
import { progressLine, solveLine, toText } from '../report/text.js';
import { doctor as preflight } from './doctor.js';
import { Room } from '../grade/cohort.js';
import { sourcesFrom } from '../grade/sources.js';
import { live } from '../grade/live.js';
import { toCsv, toJUnit as gradeJUnit, toTable, type GradeMatrix } from '../grade/matrix.js';
import { formatStats } from '../k8s/counted.js';
import { EXIT } from './exit.js';
import { repoRoot } from '../paths.js';

const root = repoRoot();

export interface ClusterFlags { kubeconfig?: string; context?: string }

/** The lab and its plan; undefined (every problem printed at its file:line:col, as `podlab lint` does) when it has errors. */
async function planOf(labArg: string): Promise<Plan | undefined> {
  const { lab, diagnostics } = await loadLab(labArg, { root });
  const plan = lab && !diagnostics.some((d) => d.severity === 'error') ? await planLab(lab) : undefined;
  const errors = [...diagnostics, ...(plan?.diagnostics ?? [])].filter((d) => d.severity === 'error');
  if (plan && !errors.length) return plan;
  for (const d of errors) console.error(formatDiagnostic(d));
  console.error(`podlab: ${errors.length} problem(s) in lab ${labArg}; \`podlab lint\` lists them too`);
  return undefined;
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

function render(r: RunResult, reporter: string): string {
  return reporter === 'junit' ? toJUnit(r) : reporter === 'json' ? toJson(r) : reporter === 'text' ? toText(r) : toTap(r);
}

export interface PerformFlags { platform?: Platform; via?: 'text' | 'scenario' }

export async function run(labArg: string, opts: ClusterFlags & PerformFlags & { step?: string; from?: string; to?: string; keep?: boolean; reporter: string; output?: string; sandboxRuntime?: string }): Promise<number> {
  const plan = await planOf(labArg);
  if (!plan) return EXIT.usage;
  const { cluster, path } = connect(opts);
  const ac = interruptible();
  // TAP on stdout is written as each step ends, so a CI log shows the run as it goes.
  const stream = opts.reporter === 'tap' && !opts.output ? new RunTap((text) => process.stdout.write(text)) : undefined;
  const r = await runLab(plan, { cluster, kubeconfigPath: path, mode: 'run', step: opts.step, from: opts.from, to: opts.to, keep: opts.keep,
    sandboxRuntime: opts.sandboxRuntime, platform: opts.platform, via: opts.via, signal: ac.signal,
    onStart: (started) => stream?.start(started),
    onStep: (s) => { console.error(progressLine(s)); if (s.id !== 'teardown' || s.module !== '(podlab)') stream?.step(s); } });
  if (stream) stream.end(r);
  else if (opts.output) writeFileSync(opts.output, render(r, opts.reporter));
  else process.stdout.write(render(r, opts.reporter));
  return r.ok ? EXIT.ok : EXIT.failed;
}

export async function check(labArg: string, opts: ClusterFlags & { namespace: string; reporter: string }): Promise<number> {
  const plan = await planOf(labArg);
  if (!plan) return EXIT.usage;
  const { cluster, path } = connect(opts);
  const r = await runLab(plan, { cluster, kubeconfigPath: path, mode: 'check', namespace: opts.namespace, signal: interruptible().signal });
  process.stdout.write(render(r, opts.reporter));
  return r.steps.every((s) => s.status !== 'fail') ? EXIT.ok : EXIT.failed;
}

export async function solve(labArg: string, opts: ClusterFlags & PerformFlags & { to: string; namespace: string }): Promise<number> {
  const plan = await planOf(labArg);
  if (!plan) return EXIT.usage;
  const { cluster, path } = connect(opts);
  const r = await runLab(plan, { cluster, kubeconfigPath: path, mode: 'solve', namespace: opts.namespace, to: opts.to, platform: opts.platform, via: opts.via,
    signal: interruptible().signal, onStep: (s) => console.log(solveLine(s)) });
  return r.ok ? EXIT.ok : EXIT.failed;
}

export async function grade(labArg: string, opts: ClusterFlags & { namespaces?: string; contexts?: string; kubeconfigDir?: string; format: string; output?: string;
      concurrency: number; execConcurrency: number; serve?: string; watch?: boolean; interval: number }): Promise<number> {
  if (!opts.namespaces && !opts.contexts && !opts.kubeconfigDir) throw new UsageError('say whom to grade: --namespaces, --contexts or --kubeconfig-dir');
  const plan = await planOf(labArg);
  if (!plan) return EXIT.usage;
  const sources = sourcesFrom(opts);
  const ac = interruptible();
  const room = new Room(plan, { sources, namespaces: opts.namespaces, concurrency: opts.concurrency, execConcurrency: opts.execConcurrency, signal: ac.signal });
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
  if (opts.serve || opts.watch) await live(room, first, { ...opts, emit, signal: ac.signal });
  return EXIT.ok;
}

export async function lint(paths: string[], opts: { blocks?: boolean } = {}): Promise<number> {
  const { diagnostics, labs } = await lintLabs(paths.length ? paths : ['labs/'], { root });
  for (const d of diagnostics) console.error(formatDiagnostic(d));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  for (const { plan } of labs) {
    if (!plan) continue;
    console.error(blockSummary(plan));
    if (opts.blocks) for (const line of blockTable(plan)) console.log(line);
  }
  console.error(errors ? `podlab lint: ${errors} error(s)` : 'podlab lint: ok');
  return errors ? EXIT.usage : EXIT.ok;
}

export async function doctor(opts: ClusterFlags): Promise<number> {
  return (await preflight(opts)) ? EXIT.ok : EXIT.environment;
}

export async function cluster(action: string, args: string[]): Promise<number> {
  if (!['up', 'down', 'status', 'env'].includes(action)) throw new UsageError(`unknown cluster action "${action}" (up, down, status, env)`);
  const r = await execa('bash', [`${root}/cluster/podlab-cluster.sh`, action, ...args], { stdio: 'inherit', reject: false });
  return r.exitCode ?? EXIT.environment;
}
