// The one way podlab builds a positioned Diagnostic (lint's `file:line:col message` and its hint): every
// module that reports a problem in a lab, a scenario or a manifest calls one of these.
import type { Diagnostic, SourcePos } from './types.js';

/** An error at `file:line:col`. */
export function diagnostic(file: string, line: number, col: number, message: string, hint?: string): Diagnostic {
  return diagnosticAt({ file, line, col }, message, hint);
}

/** An error at a position already known (a block's, a step's). */
export function diagnosticAt(pos: SourcePos, message: string, hint?: string): Diagnostic {
  return { pos, message, hint, severity: 'error' };
}

/** An error on the first line of a file (a module, a scenario). */
export function fileDiagnostic(file: string, message: string, hint?: string): Diagnostic {
  return diagnostic(file, 1, 1, message, hint);
}
