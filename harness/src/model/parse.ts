// One Markdown module → LabModule: steps are headings ending in Docusaurus' explicit id `{#step-id}`.
import MarkdownIt from 'markdown-it';
import { splitFrontMatter } from './frontmatter.js';
import { diagnostic as error } from './diagnostic.js';
import { parseInfo, unclosedFences } from './fences.js';
import type { CodeBlock, Diagnostic, LabModule, LabStep } from './types.js';

const md = new MarkdownIt();
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * The `{#step-id}` that ends a heading (what `\s*\{#([^}\s]*)\}\s*$` matches), found by one walk back from the
 * end: that regular expression, tried at every position, takes quadratic time on a long heading of spaces.
 */
function stepMarker(inline: string): { id: string; at: number } | undefined {
  const end = inline.trimEnd();
  if (!end.endsWith('}')) return undefined;
  let start = end.length - 1;
  while (start > 0 && !/[\s}]/.test(end[start - 1]!)) start--;
  const open = end.indexOf('{#', start);
  return open < 0 ? undefined : { id: end.slice(open + 2, -1), at: open };
}

const badMarker = (file: string, line: number, col: number, marker: string): Diagnostic =>
  error(
    file,
    line,
    Math.max(col, 1),
    `malformed step marker \`${marker}\`: a step heading ends in \`{#step-id}\``,
    'write the id in kebab-case with no spaces, at the very end of the heading, e.g. `## Deploy the pods {#deploy-pods}`',
  );

export function parseModule(file: string, text: string): { module?: LabModule; diagnostics: Diagnostic[] } {
  const fm = splitFrontMatter(file, text);
  const diagnostics = [...fm.diagnostics, ...unclosedFences(file, fm.body)];
  const { steps, stray } = walkSteps(file, fm.body, diagnostics);
  diagnostics.push(...stepListProblems(file, steps, fm.bodyLine, Object.keys(fm.frontMatter?.weights ?? {})));
  if (!fm.frontMatter) return { diagnostics };
  const { keyLines: frontMatterLines, bodyLine } = fm;
  return {
    module: {
      file,
      frontMatter: fm.frontMatter,
      frontMatterLines,
      bodyLine,
      markdown: fm.body,
      steps,
      strayBlocks: stray,
    },
    diagnostics,
  };
}

/** Walks markdown-it's tokens: step headings open steps, fences join the step they stand in. */
function walkSteps(file: string, body: string, diagnostics: Diagnostic[]): { steps: LabStep[]; stray: CodeBlock[] } {
  const tokens = md.parse(body, {});
  const bodyLines = body.split('\n');
  const steps: LabStep[] = [];
  /** blocks outside any step, waiting for the next step heading */
  let pending: CodeBlock[] = [];
  let current: LabStep | undefined;
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
      const m = stepMarker(inline);
      const line = tok.map[0] + 1;
      const col = (bodyLines[tok.map[0]] ?? '').indexOf('{#') + 1;
      if (current && level <= current.level) close(tok.map[0]);
      if (!m) {
        const at = inline.indexOf('{#');
        // A marker that is almost one (`{#step one}`, `{#a} more`) would silently drop the step.
        if (at >= 0) diagnostics.push(badMarker(file, line, col, inline.slice(at)));
        return;
      }
      close(tok.map[0]); // a step heading at any level ends the step before it
      const id = m.id;
      diagnostics.push(...stepIdProblems(file, line, col, id, level));
      const title = inline.slice(0, m.at).trim();
      current = { id, title, level, body: '', commands: pending, pos: { file, line, col } };
      pending = [];
    } else if (tok.type === 'fence' && tok.map) {
      const pos = { file, line: tok.map[0] + 1, col: 1 };
      const block: CodeBlock = { ...parseInfo(tok.info), content: tok.content, pos };
      // A block before the module's first step is typed before it, so it runs with it (document order).
      if (current) current.commands.push(block);
      else pending.push(block);
    }
  });
  close(bodyLines.length);
  return { steps, stray: pending };
}

/** A step heading at level 1, or an id that is not kebab-case. */
function stepIdProblems(file: string, line: number, col: number, id: string, level: number): Diagnostic[] {
  const problems: Diagnostic[] = [];
  if (level < 2) {
    const hint = 'use `##` or deeper for steps; `#` is the module title';
    problems.push(error(file, line, col, `step \`${id}\` is a level-1 heading`, hint));
  }
  if (!KEBAB.test(id)) {
    const hint = 'use lowercase letters, digits and single dashes, e.g. `deploy-pods`';
    problems.push(error(file, line, col, `step id \`${id}\` is not kebab-case`, hint));
  }
  return problems;
}

/** Duplicate step ids, a module without steps, weights that name no step. */
function stepListProblems(file: string, steps: LabStep[], bodyLine: number, weighted: string[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, LabStep>();
  for (const s of steps) {
    const first = seen.get(s.id);
    if (first) {
      diagnostics.push(
        error(
          file,
          s.pos.line,
          s.pos.col,
          `duplicate step id \`${s.id}\` (first at line ${first.pos.line})`,
          'give every step a unique id',
        ),
      );
    } else seen.set(s.id, s);
  }
  if (steps.length === 0) {
    diagnostics.push(
      error(
        file,
        bodyLine,
        1,
        'module has no steps',
        'mark each step heading with an id, e.g. `## Deploy the pods {#deploy-pods}`',
      ),
    );
  }
  for (const key of weighted) {
    if (!seen.has(key))
      diagnostics.push(
        error(
          file,
          1,
          1,
          `weights name step \`${key}\`, which this module does not have`,
          "use the ids of the module's steps",
        ),
      );
  }
  return diagnostics;
}
