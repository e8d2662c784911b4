import type { RunResult } from './model.js';
import { summarize } from './model.js';
import type { Redactor } from './redact.js';

export function toJson(r: RunResult, redactor: Redactor): string {
  return JSON.stringify(redactor.redactValue({ ...r, summary: summarize(r) }), null, 2) + '\n';
}
