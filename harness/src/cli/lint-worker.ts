// The thread that does podlab lint's work, started by lint-command.ts (bundled as dist/cli/lint-worker.js). Lint
// parses every module of a lab in one synchronous stretch, and no timer of the thread doing that can fire until
// it ends: a lab of many large modules held lint for minutes past its --timeout. So the work runs here and the
// main thread, never busy, keeps the time limit and ends this thread (Worker.terminate() stops synchronous code).
import { parentPort, workerData } from 'node:worker_threads';
import { blockSummary, blockTable, formatDiagnostic, lintLabs } from '../lint/lint.js';
import { watchProbeGroups } from '../loader/probe.js';
import { addGroup, dropGroup, type LintJob, type LintLine, type LintMessage } from './lint-groups.js';

const job = workerData as LintJob;
const send = (m: LintMessage) => parentPort!.postMessage(m);

watchProbeGroups((pgid, alive) => (alive ? addGroup : dropGroup)(job.groups, pgid));
const { diagnostics, labs } = await lintLabs(job.paths, { root: job.root, onLab: (lab) => send({ lab }) });
const lines: LintLine[] = diagnostics.map((d) => ({ to: 'err', text: formatDiagnostic(d) }));
for (const { plan } of labs) {
  if (!plan) continue;
  lines.push({ to: 'err', text: blockSummary(plan) });
  if (job.blocks) for (const text of blockTable(plan)) lines.push({ to: 'out', text });
}
send({ done: { lines, errors: diagnostics.filter((d) => d.severity === 'error').length } });
