// podlab lint, with an overall time limit (--timeout): lint loads each lab's scenarios, which runs their top-level
// code, so a scenario that never finishes loading (or many slow ones) must not hold lint, or a CI job, for ever.
// Past the limit the loaders still running are killed with their process groups and lint exits 5.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { blockSummary, blockTable, formatDiagnostic, lintLabs } from '../lint/lint.js';
import { stopProbes } from '../loader/probe.js';
import { UsageError } from '../errors.js';
import { visible } from '../terminal.js';
import { EXIT, type Outcome } from './exit.js';
import { root } from './common.js';

export interface LintFlags {
  blocks?: boolean;
  /** seconds lint may take in all (1-86400) */
  timeout?: number;
}

/** The default overall limit: far above any project's lint (seconds), well below a CI job's own timeout. */
const LINT_TIMEOUT_SECONDS = 600; // as main.ts gives commander

export async function lint(paths: string[], opts: LintFlags = {}): Promise<Outcome> {
  // Without paths, the labs of the project podlab runs in, never podlab's own.
  if (!paths.length && !existsSync('labs'))
    return new UsageError(
      `no labs/ folder in ${process.cwd()}: run \`podlab lint\` in a lab project, or name the labs to lint`,
    );
  const seconds = opts.timeout ?? LINT_TIMEOUT_SECONDS;
  let current = '';
  const linting = lintLabs(paths.length ? paths : ['labs/'], { root, onLab: (p) => (current = p) });
  linting.catch(() => undefined); // past the deadline its rejection (the probes stopped) is not waited for
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), seconds * 1000)));
  const done = await Promise.race([linting, late]);
  clearTimeout(timer);
  if (done === 'late') {
    stopProbes(new Error(`podlab lint: past its time limit of ${seconds} s`));
    const where = current ? ` while linting ${visible(relative(process.cwd(), current) || current)}` : '';
    console.error(
      `podlab lint: stopped after ${seconds} s (--timeout ${seconds})${where}: a scenario's top-level code may never finish loading; the loaders were ended. Raise --timeout, or lint fewer labs at once`,
    );
    return EXIT.timeout;
  }
  const { diagnostics, labs } = done;
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
