// One Markdown module → LabModule: steps are headings ending in Docusaurus' explicit id `{#step-id}`.
import MarkdownIt from 'markdown-it';
import { splitFrontMatter } from './frontmatter.js';
import type { CodeBlock, Diagnostic, LabModule, LabStep } from './types.js';

const md = new MarkdownIt();
const STEP_ID = /\s*\{#([^}\s]*)\}\s*$/;
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const MAX_MODULE_BYTES = 1024 * 1024;

const error = (file: string, line: number, col: number, message: string, hint?: string): Diagnostic => ({
  pos: { file, line, col },
  message,
  hint,
  severity: 'error',
});

/** Rejects what is not a Markdown text before any parsing: binary, non-UTF-8, oversized. */
export function checkText(file: string, bytes: Buffer): { text?: string; diagnostics: Diagnostic[] } {
  if (bytes.length > MAX_MODULE_BYTES) {
    return {
      diagnostics: [
        error(file, 1, 1, `file is ${bytes.length} bytes, over the ${MAX_MODULE_BYTES}-byte limit for a lab module`, 'split the module into smaller files'),
      ],
    };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const line = bytes.subarray(0, nul).toString('latin1').split('\n').length;
    return { diagnostics: [error(file, line, 1, 'file contains a NUL byte: it is binary, not Markdown', 'replace it with the Markdown text of the module')] };
  }
  try {
    // CRLF (and lone CR) line ends, as Windows editors save them, read as LF: lines keep their numbers.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/\r\n?/g, '\n'), diagnostics: [] };
  } catch {
    return { diagnostics: [error(file, 1, 1, 'file is not valid UTF-8', 'save the module as UTF-8')] };
  }
}

const badMarker = (file: string, line: number, col: number, marker: string): Diagnostic =>
  error(
    file,
    line,
    Math.max(col, 1),
    `malformed step marker \`${marker}\`: a step heading ends in \`{#step-id}\``,
    'write the id in kebab-case with no spaces, at the very end of the heading, e.g. `## Deploy the pods {#deploy-pods}`',
  );

/** Fences markdown-it would silently run to the end of the file. */
function unclosedFences(file: string, body: string): Diagnostic[] {
  let open: { marker: string; line: number; col: number } | undefined;
  const lines = body.split('\n');
  lines.forEach((l, i) => {
    const m = /^( {0,3})(`{3,}|~{3,})/.exec(l);
    if (!m) return;
    const fence = m[2]!;
    if (!open) open = { marker: fence, line: i + 1, col: m[1]!.length + 1 };
    else if (fence[0] === open.marker[0] && fence.length >= open.marker.length && l.trim() === fence) open = undefined;
  });
  return open ? [error(file, open.line, open.col, `code fence opened here is never closed`, `add a closing ${open.marker} line after the block`)] : [];
}

export function parseModule(file: string, text: string): { module?: LabModule; diagnostics: Diagnostic[] } {
  const fm = splitFrontMatter(file, text);
  const diagnostics = [...fm.diagnostics, ...unclosedFences(file, fm.body)];
  const tokens = md.parse(fm.body, {});
  const bodyLines = fm.body.split('\n');
  const steps: LabStep[] = [];
  /** blocks outside any step, waiting for the next step heading */
  let pending: CodeBlock[] = [];
  let current: (LabStep & { endLine?: number }) | undefined;
  const close = (endLine: number) => {
    if (!current) return;
    current.body = bodyLines.slice(current.pos.line, endLine).join('\n').trim();
    steps.push(current);
    current = undefined;
  };

  tokens.forEach((tok, i) => {
    if (tok.type === 'heading_open' && tok.map) {
      const level = Number(tok.tag.slice(1));
      const inline = tokens[i + 1]?.content ?? '';
      const m = STEP_ID.exec(inline);
      const line = tok.map[0] + 1;
      if (current && level <= current.level) close(tok.map[0]);
      if (!m) {
        const at = inline.indexOf('{#');
        // A marker that is almost one (`{#step one}`, `{#a} more`) would silently drop the step.
        if (at >= 0) diagnostics.push(badMarker(file, line, (bodyLines[tok.map[0]] ?? '').indexOf('{#') + 1, inline.slice(at)));
        return;
      }
      close(tok.map[0]); // a step heading at any level ends the step before it
      const id = m[1]!;
      const col = (bodyLines[tok.map[0]] ?? '').indexOf('{#') + 1;
      if (level < 2) {
        diagnostics.push(error(file, line, col, `step \`${id}\` is a level-1 heading`, 'use `##` or deeper for steps; `#` is the module title'));
      }
      if (!KEBAB.test(id)) {
        diagnostics.push(error(file, line, col, `step id \`${id}\` is not kebab-case`, 'use lowercase letters, digits and single dashes, e.g. `deploy-pods`'));
      }
      current = { id, title: inline.replace(STEP_ID, '').trim(), level, body: '', commands: pending, pos: { file, line, col } };
      pending = [];
    } else if (tok.type === 'fence' && tok.map) {
      const block: CodeBlock = { ...parseInfo(tok.info), content: tok.content, pos: { file, line: tok.map[0] + 1, col: 1 } };
      // A block before the module's first step is typed before it, so it runs with it (document order).
      if (current) current.commands.push(block);
      else pending.push(block);
    }
  });
  close(bodyLines.length);

  diagnostics.push(...stepListProblems(file, steps, fm.bodyLine, Object.keys(fm.frontMatter?.weights ?? {})));
  if (!fm.frontMatter) return { diagnostics };
  return { module: { file, frontMatter: fm.frontMatter, frontMatterLines: fm.keyLines, bodyLine: fm.bodyLine, steps, strayBlocks: pending }, diagnostics };
}

/** Duplicate step ids, a module without steps, weights that name no step. */
function stepListProblems(file: string, steps: LabStep[], bodyLine: number, weighted: string[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, LabStep>();
  for (const s of steps) {
    const first = seen.get(s.id);
    if (first) {
      diagnostics.push(error(file, s.pos.line, s.pos.col, `duplicate step id \`${s.id}\` (first at line ${first.pos.line})`, 'give every step a unique id'));
    } else seen.set(s.id, s);
  }
  if (steps.length === 0) {
    diagnostics.push(error(file, bodyLine, 1, 'module has no steps', 'mark each step heading with an id, e.g. `## Deploy the pods {#deploy-pods}`'));
  }
  for (const key of weighted) {
    if (!seen.has(key))
      diagnostics.push(error(file, 1, 1, `weights name step \`${key}\`, which this module does not have`, "use the ids of the module's steps"));
  }
  return diagnostics;
}

/**
 * A fence's info string: the language, then attributes as Docusaurus and GitHub leave them alone
 * (```` ```bash title="AKS" podlab=aks ````). A word without `=` is kept as an attribute with value ''.
 */
export function parseInfo(info: string): { lang: string; attrs: Record<string, string> } {
  const [lang = '', ...rest] = info.trim().match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
  const attrs: Record<string, string> = {};
  for (const word of rest) {
    const eq = word.indexOf('=');
    const key = eq < 0 ? word : word.slice(0, eq);
    const raw = eq < 0 ? '' : word.slice(eq + 1);
    attrs[key] = /^(["']).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
  }
  return { lang: lang.toLowerCase(), attrs };
}
