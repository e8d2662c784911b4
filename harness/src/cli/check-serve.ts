// podlab check --watch and --serve. --serve is the attendee's page: the lab rendered as one page beside its live
// progress, checked again on every change to the namespace (the same watch as --watch), served by the guarded page
// server.
import type { Plan } from '../plan/plan.js';
import type { Platform } from '../plan/blocks.js';
import type { ClusterTarget } from '../k8s/kubeconfig.js';
import type { Journal } from '../progress/journal.js';
import type { Listen } from '../serve/listen.js';
import { PageServer } from '../serve/page-server.js';
import { renderLabPage } from '../serve/lab-page.js';
import { pageProgress } from '../serve/lab-progress.js';
import { detectPlatform, sandboxFor } from '../runner/platform.js';
import { connect, journalNotes } from './common.js';
import { watchCheck, type AfterPass } from './check-watch.js';
import { ResultsOut } from './results-file.js';
import { EXIT, type Outcome } from './exit.js';
import type { Redactor } from '../report/redact.js';

/** How `podlab check` keeps checking: in the terminal (--watch), or as the attendee's page (--serve). */
export interface LiveFlags {
  watch?: boolean;
  interval: number;
  serve?: Listen;
  platform?: Platform;
  /** --allow-host: names a trusted proxy in front may forward as the Host */
  allowHost?: string[];
}

/** `check --watch` redrawn in the terminal, or `--serve`d as the page: checked again on every change until Ctrl-C. */
export async function liveCheck(
  plan: Plan,
  o: ClusterTarget & LiveFlags & { namespace: string; journal?: Journal; signal: AbortSignal; redactor: Redactor },
): Promise<Outcome> {
  const out = new ResultsOut();
  const afterPass = () => journalNotes(o.journal, out);
  if (o.serve) await serveCheck(plan, { ...o, serve: o.serve, afterPass });
  else await watchCheck(plan, { ...o, afterPass });
  return out.exit(EXIT.ok);
}

export interface ServeCheckOptions extends ClusterTarget, AfterPass {
  namespace: string;
  journal?: Journal;
  signal: AbortSignal;
  interval: number;
  serve: Listen;
  /** the platform whose blocks the page shows first (default: detected from the cluster) */
  platform?: Platform;
  allowHost?: string[];
  log?: (line: string) => void;
  /** the command's: learns the kubeconfig's credentials, and redacts the page's progress */
  redactor: Redactor;
}

export async function serveCheck(plan: Plan, o: ServeCheckOptions): Promise<void> {
  const log = o.log ?? ((line: string) => console.error(line));
  const { cluster } = connect(o, o.redactor);
  const platform = o.platform ?? (await detectPlatform(cluster, await sandboxFor(cluster, undefined)));
  const page = renderLabPage(plan.lab, platform);
  const html = () => ({ type: 'text/html; charset=utf-8', body: page.html });
  const allowHosts = o.allowHost ?? [];
  const server = new PageServer(o.serve, { '/': html, '/index.html': html }, { command: 'podlab check', allowHosts });
  await server.listen();
  log(`podlab check: ${plan.lab.id} for ${o.namespace} at ${server.url} (Ctrl-C to stop)`);
  if (allowHosts.length) log(`podlab check: also answering for Host ${allowHosts.join(', ')} (--allow-host)`);
  if (server.token) log('podlab check: the token in this address is shown only once; whoever has it can see your page');
  let said = -1;
  try {
    await watchCheck(plan, o, (r) => {
      const progress = pageProgress(r, o.redactor);
      server.publish('progress', progress);
      if (progress.done !== said) log(`podlab check: ${progress.done}/${progress.steps.length} done`);
      said = progress.done;
    });
  } finally {
    await server.close();
  }
}
