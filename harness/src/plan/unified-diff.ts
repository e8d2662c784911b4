// A unified diff of two lists of lines (expected from the Markdown, actual from the run), as `diff -u` prints it.

/** Past this many table cells the two sides are shown whole, one removed and one added, instead of aligned. */
const MAX_CELLS = 4_000_000;
const CONTEXT = 3;

type Op = { kind: ' ' | '-' | '+'; text: string };

/** Longest common subsequence of lines, walked into kept, removed and added lines. */
function operations(a: string[], b: string[]): Op[] {
  if ((a.length + 1) * (b.length + 1) > MAX_CELLS)
    return [...a.map((text) => ({ kind: '-' as const, text })), ...b.map((text) => ({ kind: '+' as const, text }))];
  const W = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * W);
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i * W + j] =
        a[i] === b[j] ? lcs[(i + 1) * W + j + 1]! + 1 : Math.max(lcs[(i + 1) * W + j]!, lcs[i * W + j + 1]!);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', text: a[i++]! });
      j++;
    } else if (i < a.length && (j >= b.length || lcs[(i + 1) * W + j]! >= lcs[i * W + j + 1]!))
      ops.push({ kind: '-', text: a[i++]! });
    else ops.push({ kind: '+', text: b[j++]! });
  }
  return ops;
}

/** `--- from` / `+++ to` and hunks with three lines of context; '' when the two are the same. */
export function unifiedDiff(a: string[], b: string[], from: string, to: string): string {
  const ops = operations(a, b);
  const changed = ops.flatMap((op, k) => (op.kind === ' ' ? [] : [k]));
  if (!changed.length) return '';
  const out = [`--- ${from}`, `+++ ${to}`];
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(changed[k]! - CONTEXT, 0);
    let end = changed[k]! + CONTEXT + 1;
    while (k + 1 < changed.length && changed[k + 1]! - CONTEXT <= end) end = changed[++k]! + CONTEXT + 1;
    end = Math.min(end, ops.length);
    k++;
    const before = ops.slice(0, start);
    const hunk = ops.slice(start, end);
    const lineA = before.filter((o) => o.kind !== '+').length;
    const lineB = before.filter((o) => o.kind !== '-').length;
    const countA = hunk.filter((o) => o.kind !== '+').length;
    const countB = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${range(lineA, countA)} +${range(lineB, countB)} @@`, ...hunk.map((o) => `${o.kind}${o.text}`));
  }
  return out.join('\n');
}

const range = (before: number, count: number) =>
  count === 1 ? `${before + 1}` : `${count ? before + 1 : before},${count}`;
