// What the commands share: the lab's plan (or its problems), the cluster connection, the interrupt signal.
import { visible } from '../terminal.js';
import { loadLab } from '../model/load.js';
import { planLab, type Plan } from '../plan/plan.js';
import { formatDiagnostic } from '../lint/lint.js';
import { Cluster } from '../k8s/cluster.js';
import { credentialsOf, kubeconfigPath, loadKubeConfig, type ClusterTarget } from '../k8s/kubeconfig.js';
import type { Redactor } from '../report/redact.js';
import { repoRoot } from '../paths.js';
import { Journal, defaultJournalPath } from '../progress/journal.js';
import type { ResultsOut } from './results-file.js';

export const root = repoRoot();

/** The lab and its plan; undefined (every problem printed at its file:line:col, as `podlab lint` does) when it has errors. */
export async function planOf(labArg: string): Promise<Plan | undefined> {
  const { lab, diagnostics } = await loadLab(labArg, { root });
  const plan =
    lab && !diagnostics.some((d) => d.severity === 'error') ? await planLab(lab, { functions: true }) : undefined;
  const errors = [...diagnostics, ...(plan?.diagnostics ?? [])].filter((d) => d.severity === 'error');
  if (plan && !errors.length) return plan;
  for (const d of errors) console.error(formatDiagnostic(d));
  console.error(`podlab: ${errors.length} problem(s) in lab ${visible(labArg)}; \`podlab lint\` lists them too`);
  return undefined;
}

/** The cluster the flags name; its kubeconfig's credentials are added to `redactor`, the command's. */
export function connect(flags: ClusterTarget, redactor: Redactor) {
  const kc = loadKubeConfig(flags);
  credentialsOf(kc).forEach((c) => redactor.add(c));
  return { cluster: new Cluster(kc), path: kubeconfigPath(flags) };
}

/** SIGINT/SIGTERM abort the current step; teardown still runs, then podlab exits non-zero. */
export function interruptible(): AbortController {
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

/** --record <path> / --no-record: the progress record check and grade keep (by default under $XDG_STATE_HOME). */
export function journalOf(opts: { record?: string | boolean }): Journal | undefined {
  if (opts.record === false) return undefined;
  return new Journal(typeof opts.record === 'string' ? opts.record : defaultJournalPath()).check();
}

/** What became of the progress record in a command: lines skipped (said once), an append that failed (exit 3). */
export function journalNotes(journal: Journal | undefined, out: ResultsOut): void {
  if (!journal) return;
  if (journal.badLines) out.say(`skipped ${journal.badLines} line(s) of ${journal.path} that are not podlab records`);
  if (journal.writeFailed)
    out.notKept(
      `cannot append to the progress record ${journal.path} (${journal.writeFailed}): the results are complete, but the steps first seen now are not kept for the next grade`,
    );
}
