// podlab check --watch: the attendee's view, checked again whenever their namespace changes (watches, through
// the same snapshot as grade --watch), redrawn in place in a terminal, or printed anew as plain lines.
import type { Plan } from '../plan/plan.js';
import type { ClusterTarget } from '../k8s/kubeconfig.js';
import type { Journal } from '../progress/journal.js';
import type { RunResult } from '../report/model.js';
import { toText } from '../report/text.js';
import { redraws } from '../report/live.js';
import { Cohort } from '../grade/cohort.js';
import { sourcesFrom } from '../grade/sources.js';
import { onePassAtATime } from '../grade/live.js';
import type { Redactor } from '../report/redact.js';

/** Called after every pass: what became of the progress record is said as soon as it happens, not at Ctrl-C. */
export interface AfterPass {
  afterPass?: () => void;
}

export async function watchCheck(
  plan: Plan,
  o: ClusterTarget & { namespace: string; journal?: Journal; signal: AbortSignal; interval: number } & AfterPass & {
      redactor: Redactor;
    },
  show: (r: RunResult) => void = terminalView(o.namespace, o.redactor),
): Promise<void> {
  const cohort = new Cohort(plan, {
    sources: sourcesFrom(o, o.redactor),
    namespaces: o.namespace,
    concurrency: 1,
    execConcurrency: 4,
    signal: o.signal,
    journal: o.journal,
    onResult: (_attendee, r) => show(r),
  });
  const first = await cohort.grade();
  o.afterPass?.();
  if (!first.attendees[0]?.reachable) throw new Error(first.attendees[0]?.error ?? 'cannot check the namespace');
  let full = false;
  const recheck = onePassAtATime(
    async () => {
      await cohort.grade({ full: full && !(full = false) });
      o.afterPass?.();
    },
    o.signal,
    'podlab check: checking again failed',
    o.redactor,
  );
  cohort.watch(recheck);
  // Results that only a command in a pod shows (a kernel, a ping) change without an event: look again now and then,
  // measuring again what the last passes kept.
  const timer = setInterval(() => {
    full = true;
    recheck();
  }, o.interval * 1000);
  await new Promise<void>((resolve) =>
    o.signal.aborted ? resolve() : o.signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  clearInterval(timer);
  cohort.stop();
}

/** The table `podlab check` prints, redrawn in place in a terminal when it changes, else printed anew. */
function terminalView(namespace: string, redactor: Redactor): (r: RunResult) => void {
  let last = '';
  return (r) => {
    const text = toText(r, redactor);
    if (text === last) return;
    last = text;
    const when = `podlab check --watch: ${namespace}, ${new Date().toLocaleTimeString()} (Ctrl-C to stop)\n\n`;
    process.stdout.write(redraws() ? `\x1b[H\x1b[2J${when}${text}` : `${when}${text}\n`);
  };
}
