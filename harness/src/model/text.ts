// Is this file a Markdown text at all? Checked on the raw bytes, before any parsing.
import { diagnostic as error } from './diagnostic.js';
import type { Diagnostic } from './types.js';

export const MAX_MODULE_BYTES = 1024 * 1024;

/** Rejects what is not a Markdown text before any parsing: binary, non-UTF-8, oversized. */
export function checkText(file: string, bytes: Buffer): { text?: string; diagnostics: Diagnostic[] } {
  if (bytes.length > MAX_MODULE_BYTES) {
    return {
      diagnostics: [
        error(
          file,
          1,
          1,
          `file is ${bytes.length} bytes, over the ${MAX_MODULE_BYTES}-byte limit for a lab module`,
          'split the module into smaller files',
        ),
      ],
    };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const line = bytes.subarray(0, nul).toString('latin1').split('\n').length;
    return {
      diagnostics: [
        error(
          file,
          line,
          1,
          'file contains a NUL byte: it is binary, not Markdown',
          'replace it with the Markdown text of the module',
        ),
      ],
    };
  }
  try {
    // CRLF (and lone CR) line ends, as Windows editors save them, read as LF: lines keep their numbers.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/\r\n?/g, '\n'), diagnostics: [] };
  } catch {
    return { diagnostics: [error(file, 1, 1, 'file is not valid UTF-8', 'save the module as UTF-8')] };
  }
}
