// podlab grade: the room's matrix once, or kept live (--watch, --serve).
import { EnvironmentError, UsageError } from '../errors.js';
import type { Redactor } from '../report/redact.js';
import { Cohort } from '../grade/cohort.js';
import { sourcesFrom, type Source } from '../grade/sources.js';
import { live } from '../grade/live.js';
import { serveScoreboard, type Scoreboard } from '../grade/serve.js';
import type { Listen } from '../serve/listen.js';
import type { Plan } from '../plan/plan.js';
import { toCsv, toJUnit as gradeJUnit, toTable, type GradeMatrix } from '../grade/matrix.js';
import { formatStats } from '../k8s/counted.js';
import { EXIT, type Outcome } from './exit.js';
import { interruptible, journalNotes, journalOf, planOf } from './common.js';
import { ResultsOut } from './results-file.js';
import type { ClusterTarget } from '../k8s/kubeconfig.js';

type GradeOptions = ClusterTarget & {
  namespaces?: string;
  contexts?: string;
  kubeconfigDir?: string;
  allowExec?: string[];
  format: string;
  output?: string;
  concurrency: number;
  execConcurrency: number;
  /** --serve, parsed with the command line */
  serve?: Listen;
  allowHost?: string[];
  watch?: boolean;
  interval: number;
  record?: string | boolean;
};

export async function grade(labArg: string, opts: GradeOptions, redactor: Redactor): Promise<Outcome> {
  if (!opts.namespaces && !opts.contexts && !opts.kubeconfigDir)
    return new UsageError('say whom to grade: --namespaces, --contexts or --kubeconfig-dir');
  const plan = await planOf(labArg);
  if (!plan) return EXIT.usage;
  const sources = sourcesFrom(opts, redactor);
  // Listening before the first pass: a port in use or a bad host is said at once, not after grading the room.
  const board = opts.serve && (await serveScoreboard(opts.serve, { allowHosts: opts.allowHost, redactor }));
  try {
    return await gradeRoom(plan, sources, { ...opts, board, redactor });
  } finally {
    await board?.close();
  }
}

async function gradeRoom(
  plan: Plan,
  sources: Source[],
  opts: GradeOptions & { board?: Scoreboard; redactor: Redactor },
): Promise<Outcome> {
  const ac = interruptible();
  const journal = journalOf(opts);
  const cohort = new Cohort(plan, {
    sources,
    namespaces: opts.namespaces,
    concurrency: opts.concurrency,
    execConcurrency: opts.execConcurrency,
    signal: ac.signal,
    journal,
  });
  const render = (matrix: GradeMatrix) => {
    const m = opts.redactor.redactValue(matrix);
    return opts.format === 'json'
      ? JSON.stringify(m, null, 2) + '\n'
      : opts.format === 'csv'
        ? toCsv(m)
        : opts.format === 'junit'
          ? gradeJUnit(m)
          : toTable(m);
  };
  const out = new ResultsOut();
  const emit = (m: GradeMatrix) => {
    out.write(opts.output, render(m), 'grade');
    journalNotes(journal, out);
  };
  const started = Date.now();
  const first = await cohort.grade();
  // One cluster, and it did not answer: the environment, not a room of unreachable attendees.
  const down = cohort.unreachable();
  if (sources.length === 1 && !sources[0]!.label && down.length === 1) return new EnvironmentError(down[0]!.error);
  if (first.attendees.length === 0) return new UsageError(`no namespace matches ${opts.namespaces}`);
  emit(first);
  console.error(
    `podlab grade: graded ${first.attendees.length} attendees in ${Date.now() - started} ms, ${formatStats(cohort.stats())}`,
  );
  if (opts.board || opts.watch) await live(cohort, first, { ...opts, emit, signal: ac.signal });
  return out.exit(EXIT.ok);
}
