// podlab run --update-outputs: the output blocks that differed are rewritten from the run; a diff says what changed.
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { OutputUpdate } from '../runner/outputs.js';
import { rewriteBlocks } from '../plan/output-rewrite.js';
import { unifiedDiff } from '../plan/unified-diff.js';

/** Rewrites each file once; returns the diff of every file changed, and one line per block left alone. */
export function writeOutputUpdates(updates: OutputUpdate[]): { diff: string; notes: string[] } {
  const byFile = new Map<string, OutputUpdate[]>();
  for (const u of updates) byFile.set(u.block.pos.file, [...(byFile.get(u.block.pos.file) ?? []), u]);
  const diffs: string[] = [];
  const notes: string[] = [];
  for (const [file, list] of byFile) {
    const name = relative(process.cwd(), file) || file;
    const before = readFileSync(file, 'utf8');
    const { text, stale } = rewriteBlocks(before, list);
    for (const b of stale)
      notes.push(`${name}:${b.pos.line}: the file changed during the run; this output block was left as it is`);
    if (text === before) continue;
    writeFileSync(file, text);
    diffs.push(unifiedDiff(before.split('\n'), text.split('\n'), `a/${name}`, `b/${name}`));
  }
  return { diff: diffs.join('\n'), notes };
}
