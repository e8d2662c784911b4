// Fenced code blocks: their info strings, and fences left open.
import { diagnostic as error } from './diagnostic.js';
import type { Diagnostic } from './types.js';

/** Fences markdown-it would silently run to the end of the file. */
export function unclosedFences(file: string, body: string): Diagnostic[] {
  let open: { marker: string; line: number; col: number } | undefined;
  const lines = body.split('\n');
  lines.forEach((l, i) => {
    const m = /^( {0,3})(`{3,}|~{3,})/.exec(l);
    if (!m) return;
    const fence = m[2]!;
    if (!open) open = { marker: fence, line: i + 1, col: m[1]!.length + 1 };
    else if (fence[0] === open.marker[0] && fence.length >= open.marker.length && l.trim() === fence) open = undefined;
  });
  return open
    ? [
        error(
          file,
          open.line,
          open.col,
          `code fence opened here is never closed`,
          `add a closing ${open.marker} line after the block`,
        ),
      ]
    : [];
}

/**
 * A fence's info string: the language, then attributes as Docusaurus and GitHub leave them alone
 * (```` ```bash title="AKS" podlab=aks ````). A word without `=` is kept as an attribute with value ''.
 */
export function parseInfo(info: string): { lang: string; attrs: Record<string, string>; repeated?: string[] } {
  const [lang = '', ...rest] = info.trim().match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
  const attrs: Record<string, string> = {};
  const repeated = new Set<string>();
  for (const word of rest) {
    const eq = word.indexOf('=');
    const key = eq < 0 ? word : word.slice(0, eq);
    if (key in attrs) repeated.add(key);
    const raw = eq < 0 ? '' : word.slice(eq + 1);
    attrs[key] = /^(["']).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
  }
  return { lang: lang.toLowerCase(), attrs, ...(repeated.size ? { repeated: [...repeated] } : {}) };
}
