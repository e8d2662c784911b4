import type { RunResult } from './model.js';
import { summarize } from './model.js';
import { redactValue } from './redact.js';

export function toJson(r: RunResult): string {
  return JSON.stringify(redactValue({ ...r, summary: summarize(r) }), null, 2) + '\n';
}
