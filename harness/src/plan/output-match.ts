// An output block against what a block printed: its lines aligned with the output's, elisions absorbing any
// number of lines, as few lines left unmatched as can be. Pure: no I/O.
//
// Time: the alignment is a table of expected × actual lines; the expected side is the author's short block, so a
// run's output (the side an attendee's cluster controls) is walked a bounded number of times per expected line.
import { lineMatches, type ExpectedLine } from './output-patterns.js';

/** Past this many table cells (expected × actual lines), lines are aligned in one forward pass instead. */
const MAX_CELLS = 4_000_000;

export interface Comparison {
  ok: boolean;
  /**
   * The actual output written in the author's terms: an expected line (pattern or elision) wherever it still
   * matches, the actual line where nothing matched. This is what --update-outputs writes back.
   */
  normalized: string[];
  /** expected lines (1-based in the block) that matched nothing: a pattern here no longer matches */
  unmatched: number[];
}

/** Aligns the expected lines with the actual ones, as few lines unmatched as can be. */
export function compareOutput(expected: ExpectedLine[], actual: string[]): Comparison {
  if ((expected.length + 1) * (actual.length + 1) > MAX_CELLS) return forward(expected, actual);
  return aligned(expected, actual);
}

function aligned(expected: ExpectedLine[], actual: string[]): Comparison {
  const E = expected.length;
  const A = actual.length;
  const W = A + 1;
  // cost[i*W+j]: lines left unmatched aligning expected[i..] with actual[j..]; hit[i*W+j]: expected[i] ~ actual[j]
  const cost = new Uint32Array((E + 1) * W);
  const hit = new Uint8Array((E + 1) * W);
  for (let j = A - 1; j >= 0; j--) cost[E * W + j] = A - j;
  for (let i = E - 1; i >= 0; i--) {
    const e = expected[i]!;
    cost[i * W + A] = e.kind === 'elision' ? cost[(i + 1) * W + A]! : cost[(i + 1) * W + A]! + 1;
    for (let j = A - 1; j >= 0; j--) {
      const k = i * W + j;
      if (e.kind === 'elision') {
        cost[k] = Math.min(cost[k + W]!, cost[k + 1]!);
        continue;
      }
      hit[k] = lineMatches(e, actual[j]!) ? 1 : 0;
      const skip = Math.min(cost[k + W]!, cost[k + 1]!) + 1;
      cost[k] = hit[k] ? Math.min(cost[k + W + 1]!, skip) : skip;
    }
  }
  const normalized: string[] = [];
  const unmatched: number[] = [];
  let i = 0;
  let j = 0;
  while (i < E || j < A) {
    const k = i * W + j;
    const e = expected[i];
    if (e?.kind === 'elision') {
      // the elision ends as early as it can: a line both could take is matched by the line after it
      if (j >= A || cost[k] === cost[k + W]) {
        normalized.push(e.text);
        i++;
      } else j++;
    } else if (e && j < A && hit[k] && cost[k] === cost[k + W + 1]) {
      normalized.push(e.text);
      i++;
      j++;
    } else if (j < A && (!e || cost[k] === cost[k + 1]! + 1)) normalized.push(actual[j++]!);
    else unmatched.push(++i);
  }
  return { ok: cost[0] === 0, normalized, unmatched };
}

/** One forward pass for outputs too long for the table: an elision runs to the next line that matches. */
function forward(expected: ExpectedLine[], actual: string[]): Comparison {
  const normalized: string[] = [];
  const unmatched: number[] = [];
  let j = 0;
  expected.forEach((e, i) => {
    if (e.kind === 'elision') {
      const next = expected.slice(i + 1).find((x) => x.kind !== 'elision');
      while (j < actual.length && !(next && lineMatches(next, actual[j]!))) j++;
      normalized.push(e.text);
    } else if (j < actual.length) {
      const line = actual[j++]!;
      const matches = lineMatches(e, line);
      normalized.push(matches ? e.text : line);
      if (!matches) unmatched.push(i + 1);
    } else unmatched.push(i + 1);
  });
  normalized.push(...actual.slice(j));
  const same = normalized.length === expected.length && normalized.every((l, i) => l === expected[i]!.text);
  return { ok: same && !unmatched.length, normalized, unmatched };
}
