// Front matter: YAML between `---` lines, validated against harness/schemas/lab-frontmatter.schema.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument, isMap, isScalar, visit, type Document, type Node } from 'yaml';
import type { Diagnostic, FrontMatter } from './types.js';
import { repoRoot } from '../paths.js';
import { diagnostic as error } from './diagnostic.js';

// Found from the repository root, so that the sources, tsc's output and the bundled CLI all read the same file.
const schemaPath = join(repoRoot(), 'harness/schemas/lab-frontmatter.schema.json');
const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

export interface FrontMatterResult {
  frontMatter?: FrontMatter;
  /** the line of each top-level key, so that problems with a value (a `scenario:` path) point at it */
  keyLines: Record<string, number>;
  /** 1-based line where the body starts */
  bodyLine: number;
  /** the Markdown after the front matter, with the front matter lines blanked so lines keep their numbers */
  body: string;
  diagnostics: Diagnostic[];
}

export function splitFrontMatter(file: string, text: string): FrontMatterResult {
  const lines = text.split('\n');
  if (lines[0]?.trimEnd() !== '---') {
    return {
      keyLines: {},
      bodyLine: 1,
      body: text,
      diagnostics: [
        error(
          file,
          1,
          1,
          'missing front matter',
          'start the file with a `---` line, YAML keys `title` and `id`, and a closing `---` line',
        ),
      ],
    };
  }
  const end = lines.findIndex((l, i) => i > 0 && l.trimEnd() === '---');
  if (end < 0) {
    return {
      keyLines: {},
      bodyLine: 1,
      body: '',
      diagnostics: [
        error(file, 1, 1, 'front matter is not closed', 'add a `---` line after the last front matter key'),
      ],
    };
  }
  const yamlText = lines.slice(1, end).join('\n');
  const body = [...lines.slice(0, end + 1).map(() => ''), ...lines.slice(end + 1)].join('\n');
  const { value, diagnostics, keyLines } = parseFrontMatterYaml(file, yamlText, 2);
  return { frontMatter: value, keyLines, bodyLine: end + 2, body, diagnostics };
}

function parseFrontMatterYaml(file: string, yamlText: string, firstLine: number) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  const at = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line + firstLine - 1, col: p.col };
  };
  if (doc.errors.length > 0) {
    return {
      value: undefined,
      keyLines: {},
      diagnostics: doc.errors.map((e) => {
        const p = at(e.pos[0]);
        return error(
          file,
          p.line,
          p.col,
          `front matter is not valid YAML: ${e.message.split('\n')[0]}`,
          'fix the YAML syntax (indentation, quotes, `key: value`)',
        );
      }),
    };
  }
  const keyLines: Record<string, number> = {};
  if (isMap(doc.contents))
    for (const pair of doc.contents.items)
      if (isScalar(pair.key) && pair.key.range) keyLines[String(pair.key.value)] = at(pair.key.range[0]).line;
  const { value, bomb } = toValue(doc);
  if (bomb !== undefined) {
    const p = at(bomb);
    return {
      value: undefined,
      keyLines,
      diagnostics: [error(file, p.line, p.col, 'front matter expands YAML aliases too often', ALIAS_HINT)],
    };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return {
      value: undefined,
      keyLines,
      diagnostics: [error(file, firstLine, 1, 'front matter must be a YAML mapping', 'write `key: value` lines')],
    };
  }
  const diagnostics: Diagnostic[] = [];
  if (!validate(value)) {
    for (const e of validate.errors ?? []) {
      const node = nodeFor(doc.contents, e);
      const p = node?.range ? at(node.range[0]) : { line: firstLine, col: 1 };
      diagnostics.push(error(file, p.line, p.col, describe(e), hintFor(e)));
    }
  }
  return { value: diagnostics.length ? undefined : (value as FrontMatter), diagnostics, keyLines };
}

export const ALIAS_HINT =
  'a few `*alias` references are fine; nested aliases that multiply (an alias bomb) are refused';

/**
 * The document's value, or the offset of its first alias when expanding them would exceed yaml's limit
 * (`maxAliasCount`, which yaml counts against the document's size): an alias bomb.
 */
export function toValue(doc: Document): { value?: unknown; bomb?: number } {
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }) as unknown };
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    let first = 0;
    visit(doc, {
      Alias(_, node) {
        first = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    return { bomb: first };
  }
}

function nodeFor(root: unknown, e: ErrorObject): Node | undefined {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra =
    e.keyword === 'additionalProperties' ? (e.params as { additionalProperty: string }).additionalProperty : undefined;
  let node = root as Node | undefined;
  for (const key of path) {
    if (!isMap(node) && !(node && 'items' in node)) return node;
    const found = (node as { items: Array<{ key?: unknown; value?: unknown }> }).items.find((pair, i) =>
      isScalar(pair.key) ? String(pair.key.value) === key : String(i) === key,
    );
    node = (found && isMap(node) ? found.value : found) as Node | undefined;
  }
  if (extra && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === extra);
    return pair?.key as Node | undefined;
  }
  return node;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath ? `\`${e.instancePath.slice(1).replace(/\//g, '.')}\`` : 'front matter';
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown front matter key \`${(e.params as { additionalProperty: string }).additionalProperty}\``;
    case 'required':
      return `front matter lacks \`${(e.params as { missingProperty: string }).missingProperty}\``;
    case 'enum':
      return `${where} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    default:
      return `${where} ${e.message ?? 'is invalid'}`;
  }
}

function hintFor(e: ErrorObject): string {
  switch (e.keyword) {
    case 'additionalProperties':
      return 'remove it or fix its spelling; allowed keys are listed in docs/authoring.md';
    case 'required':
      return 'add the key (see docs/authoring.md)';
    case 'pattern':
      return e.instancePath === '/id'
        ? 'use kebab-case, e.g. `deploy-pods`'
        : e.instancePath === '/duration'
          ? 'write a number and a unit, e.g. `15m`'
          : 'see docs/authoring.md';
    default:
      return 'see docs/authoring.md for the front matter keys';
  }
}
