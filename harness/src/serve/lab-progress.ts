// What the attendee's page shows of one check: each step done now, done earlier, not yet or skipped, with the
// check's message and hint for a step not yet done. Built from the same RunResult `podlab check` prints, and
// redacted as a value (by the command's redactor) before it is published.
import type { RunResult, StepResult } from '../report/model.js';
import type { Redactor } from '../report/redact.js';

type PageState = 'done' | 'earlier' | 'todo' | 'skip';

interface PageStep {
  id: string;
  state: PageState;
  /** why not yet (observed against expected), why skipped, or when it was first seen done */
  message?: string;
  /** what to do next, for a step not yet done */
  hint?: string;
}

export interface PageProgress {
  namespace: string;
  checkedAt: string;
  done: number;
  steps: PageStep[];
}

const MAX_SHOWN = 2000;
/** A value as one bounded line: what a pod printed can be megabytes. */
const shown = (v: unknown) => {
  const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}… (${text.length - MAX_SHOWN} more characters)` : text;
};

function pageStep(s: StepResult): PageStep {
  if (s.status === 'skip') return { id: s.id, state: 'skip', message: s.reason && shown(s.reason) };
  if (s.status === 'pass' && s.earlier)
    return { id: s.id, state: 'earlier', message: `done ${s.earlier}; its check does not pass now` };
  if (s.status === 'pass') return { id: s.id, state: 'done' };
  const seen = s.actual !== undefined ? `saw ${shown(s.actual)}` : undefined;
  const wanted = s.expected !== undefined ? `expected ${shown(s.expected)}` : undefined;
  // A failed check's reason is its hint when it has one: said once, as the hint.
  const why = s.reason !== s.hint ? s.reason : undefined;
  const message = [why, [seen, wanted].filter(Boolean).join(', ')].filter(Boolean).join(': ');
  return { id: s.id, state: 'todo', message: shown(message), hint: s.hint && shown(s.hint) };
}

export function pageProgress(r: RunResult, redactor: Redactor): PageProgress {
  const steps = r.steps.map(pageStep);
  const done = steps.filter((s) => s.state === 'done' || s.state === 'earlier').length;
  return redactor.redactValue({ namespace: r.namespace, checkedAt: new Date().toISOString(), done, steps });
}
