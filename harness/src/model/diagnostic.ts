// The one way podlab builds a positioned Diagnostic (lint's `file:line:col message` and its hint).
import type { Diagnostic } from './types.js';

export function diagnostic(file: string, line: number, col: number, message: string, hint?: string): Diagnostic {
  return { pos: { file, line, col }, message, hint, severity: 'error' };
}
