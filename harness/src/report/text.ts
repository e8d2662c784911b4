// Plain lines for people: progress while a run goes, and an attendee's "3/7 done" view of a check.
import { visible, visibleLines } from '../terminal.js';
import type { PointResult, RunResult, StepResult } from './model.js';
import { summarize } from './model.js';
import type { Redactor } from './redact.js';

const MARK: Record<StepResult['status'], string> = { pass: '✓', skip: '-', fail: '✗' };

/** One line per finished step (its status, not the progress record), as `podlab run` prints it on stderr. */
export const stepStatusLine = (s: PointResult, redactor: Redactor) =>
  `podlab: ${s.status.toUpperCase().padEnd(4)} ${visible(s.id)}${s.reason ? ` — ${visible(redactor.redact(s.reason))}` : ''}`;

/** One line per finished step, as `podlab solve` prints it; under a failed one, what its command printed. */
export function solveLine(s: StepResult, redactor: Redactor): string {
  const line = `${MARK[s.status]} ${visible(s.id)}${s.reason ? ` — ${visible(redactor.redact(s.reason))}` : ''}`;
  if (s.status !== 'fail' || typeof s.actual !== 'string' || !s.actual) return line;
  return `${line}\n${visibleLines(redactor.redact(s.actual))
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}`;
}

/** The attendee's view: every step with its mark, a hint under each step not done, and the count. */
export function toText(r: RunResult, redactor: Redactor): string {
  const lines: string[] = [];
  for (const s of r.steps) {
    lines.push(`${MARK[s.status]} ${visible(s.id).padEnd(24)} ${visible(s.title)}`);
    if (s.earlier)
      lines.push(
        `    done earlier: first seen done ${s.earlier.replace('T', ' ').slice(0, 16)} UTC (its check no longer passes)`,
      );
    else if (s.status !== 'pass')
      lines.push(`    ${s.status === 'skip' ? 'skipped: ' : ''}${visible(redactor.redact(s.hint ?? s.reason ?? ''))}`);
  }
  const { pass, skip } = summarize(r);
  lines.push('', `${pass}/${r.steps.length - skip} done${skip ? ` (${skip} skipped)` : ''}`);
  return `${lines.join('\n')}\n`;
}
