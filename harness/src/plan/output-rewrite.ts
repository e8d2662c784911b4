// --update-outputs: new text for output blocks, written into their Markdown file and nowhere else in it.
import type { CodeBlock } from '../model/types.js';

export interface BlockRewrite {
  block: CodeBlock;
  /** the block's new lines, without the fence's indentation */
  lines: string[];
}

/**
 * The file's text with each block's content replaced, every other line as it was. A block whose lines in the
 * text are no longer what was parsed (the file changed meanwhile) is left alone and named in `stale`.
 */
export function rewriteBlocks(text: string, rewrites: BlockRewrite[]): { text: string; stale: CodeBlock[] } {
  const lines = text.split('\n');
  const stale: CodeBlock[] = [];
  // bottom up, so that the line numbers of the blocks above stay right
  const byLine = new Map(rewrites.map((r) => [r.block.pos.line, r]));
  for (const r of [...byLine.values()].sort((a, b) => b.block.pos.line - a.block.pos.line)) {
    const fence = r.block.pos.line - 1;
    const indent = /^ */.exec(lines[fence] ?? '')![0];
    const old = r.block.content ? r.block.content.replace(/\n$/, '').split('\n') : [];
    const now = lines
      .slice(fence + 1, fence + 1 + old.length)
      .map((l) => l.slice(Math.min(indent.length, /^ */.exec(l)![0].length)));
    if (!/^ {0,3}(`{3,}|~{3,})/.test(lines[fence] ?? '') || now.join('\n') !== old.join('\n')) {
      stale.push(r.block);
      continue;
    }
    lines.splice(fence + 1, old.length, ...r.lines.map((l) => (l ? indent + l : l)));
  }
  return { text: lines.join('\n'), stale };
}
