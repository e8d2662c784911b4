// The terminal-safe printer: text that others wrote (file, context and attendee names, kubelet messages, a
// command's output) reaches the instructor's terminal with its control characters made visible, so that a name
// cannot move the cursor, retitle the window, ring the bell, hide itself or forge a line of podlab's output.
// Every human-readable output goes through it: the text reporters, lint's diagnostics, the grade table, errors.
/* eslint-disable no-control-regex -- finding control characters is this module's job */

/**
 * Control characters a terminal acts on: C0 (ESC, BEL, CR, backspace ...), DEL, C1 (CSI is 0x9b on its own),
 * and the Unicode characters that reorder, hide or break text (bidi overrides, line and paragraph separators).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

const shown = (c: string) => {
  const code = c.codePointAt(0)!;
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`);
};

/** One line's worth: a name, a message. Every control character, newlines too, is shown as an escape (`\e`, `\n`, `\x07`). */
export const visible = (text: string): string => text.replace(CONTROL, shown);

/** Several lines (a report, a table, a command's output): as `visible`, but newlines and tabs stay. */
export const visibleLines = (text: string): string => text.replace(CONTROL_BUT_LINES, shown);
