// The lines of an output block: literal lines, `...` for any number of lines, `[..]` for anything within a line,
// and a line ending in ` (re)` for a regular expression. Pure: no I/O, no imports.
//
// Time: `[..]` is matched with indexOf, never a regular expression. A `(re)` pattern that repeats a group holding
// a repetition or alternatives (the shapes that backtrack without end) is refused, and a pattern is tried only on
// lines of at most MAX_RE_LINE characters: a line of a run's output (which an attendee's cluster controls) costs
// time linear in its length.

const ELISION = '...';
const WITHIN = '[..]';
const RE_SUFFIX = ' (re)';
/** A `(re)` pattern is tried on lines up to this long; a longer line does not match it. */
const MAX_RE_LINE = 4096;

export type ExpectedLine =
  | { kind: 'elision'; text: string }
  | { kind: 'literal'; text: string }
  | { kind: 'glob'; text: string; parts: string[] }
  | { kind: 're'; text: string; re: RegExp };

/** A pattern that does not compile, or would backtrack without end: the message says why. */
export class PatternError extends Error {
  constructor(
    readonly line: number,
    message: string,
    /** 1-based column in the line */
    readonly col = 1,
  ) {
    super(message);
  }
}

/** The lines of a block's text or output: `\r` and trailing blanks dropped, no final empty line. */
export function linesOf(text: string): string[] {
  const lines = text.split('\n').map((l) => l.replace(/\s+$/, ''));
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** An output block's content as patterns; throws PatternError (with the 1-based line in the block). */
export function parseExpected(content: string): ExpectedLine[] {
  return linesOf(content).map((text, i) => {
    if (text.trim() === ELISION) return { kind: 'elision', text };
    if (text.endsWith(RE_SUFFIX)) return { kind: 're', text, re: compile(text.slice(0, -RE_SUFFIX.length), i + 1) };
    if (text.includes(WITHIN)) return { kind: 'glob', text, parts: text.split(WITHIN) };
    return { kind: 'literal', text };
  });
}

function compile(source: string, line: number): RegExp {
  const nested = nestedQuantifier(source);
  if (nested !== undefined)
    throw new PatternError(line, 'the pattern repeats a group that itself repeats or has alternatives', nested + 1);
  try {
    return new RegExp(`^(?:${source})$`);
  } catch (e) {
    throw new PatternError(line, (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, ''));
  }
}

/** The index of a group like `(a+)+` or `(\d*)*`, quantified and holding a quantifier; undefined when none. */
export function nestedQuantifier(source: string): number | undefined {
  const open: Array<{ at: number; quantified: boolean }> = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      inClass = c !== ']';
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') open.push({ at: i, quantified: false });
    else if (c === '|' || quantifierAt(source, i)) {
      if (open.length) open.at(-1)!.quantified = true;
    } else if (c === ')') {
      const group = open.pop();
      if (!group) continue;
      if (group.quantified && quantifierAt(source, i + 1) && source[i + 1] !== '?') return group.at;
      if (group.quantified && open.length) open.at(-1)!.quantified = true;
    }
  }
  return undefined;
}

/** `*`, `+`, `?` (not the `?` of `(?:`) or `{n}`, `{n,}`, `{n,m}` at index i. */
function quantifierAt(source: string, i: number): boolean {
  const c = source[i];
  if (c === '*' || c === '+') return true;
  if (c === '?') return source[i - 1] !== '(';
  return c === '{' && /^\{\d+(,\d*)?\}/.test(source.slice(i, i + 24));
}

/** Whether one expected line (not an elision) matches one actual line. */
export function lineMatches(e: ExpectedLine, actual: string): boolean {
  switch (e.kind) {
    case 'literal':
      return e.text === actual;
    case 're':
      return actual.length <= MAX_RE_LINE && e.re.test(actual);
    case 'glob':
      return globMatches(e.parts, actual);
    default:
      return true;
  }
}

/** `a[..]b[..]c`: the first part a prefix, the last a suffix, the middle ones found in order (leftmost is best). */
function globMatches(parts: string[], s: string): boolean {
  const first = parts[0]!;
  const last = parts.at(-1)!;
  if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
  let at = first.length;
  const end = s.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = s.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}
