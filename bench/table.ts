// The bench table: rows of measured figures rendered as Markdown, and recorded into docs/performance.md.
import { readFileSync, writeFileSync } from 'node:fs';

export interface Row {
  what: string;
  podlab: string;
  baseline: string;
  /** podlab ÷ baseline, when the two are the same kind of figure */
  ratio?: number;
  /** a share (0..1) instead of a ratio */
  share?: number;
  target?: string;
  met?: boolean;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function markdownTable(rows: Row[]): string {
  const cells = rows.map((r) => [
    r.what,
    r.podlab,
    r.baseline,
    r.share !== undefined ? `${(r.share * 100).toFixed(1)}%` : r.ratio !== undefined ? `${r.ratio.toFixed(2)}×` : '',
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'met' : 'missed',
  ]);
  const head = ['measure', 'podlab', 'kubectl + bash', 'ratio', 'target', ''];
  const line = (c: string[]) => `| ${c.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...cells.map(line)].join('\n') + '\n';
}

const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

/** Replaces the table between the bench markers of a Markdown file (which must have them). */
export function recordTable(file: string, table: string, where: string): void {
  const text = readFileSync(file, 'utf8');
  const from = text.indexOf(BEGIN);
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${file}: no ${BEGIN} … ${END} section to record the table in`);
  writeFileSync(file, `${text.slice(0, from + BEGIN.length)}\n${table}\nMeasured ${where}.\n${text.slice(to)}`);
}
