// Output blocks (```text podlab=output[:platform]) joined to the shell block they follow, their patterns compiled.
import type { CodeBlock, Diagnostic } from '../model/types.js';
import type { BlockFate, Platform } from './blocks.js';
import { parseExpected, PatternError, type ExpectedLine } from './output-patterns.js';
import { diagnostic } from '../model/diagnostic.js';

/** What a shell block should print on some platforms, as its output block says. */
interface ExpectedOutput {
  block: CodeBlock;
  platforms: Platform[];
  lines: ExpectedLine[];
}

/** A block with its fate, and a shell block's output blocks (plan.ts's FatedBlock is one). */
export interface FatedBlock extends CodeBlock {
  fate: BlockFate;
  outputs?: ExpectedOutput[];
}

/**
 * Gives each shell block of a step the output blocks after it (other blocks may not stand between, prose may).
 * An output block after anything else, two for one platform, or a pattern that does not compile is an error.
 */
export function pairOutputs(blocks: FatedBlock[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let owner: FatedBlock | undefined;
  for (const b of blocks) {
    if (b.fate.kind === 'run' || b.fate.kind === 'skip') owner = b;
    const fate = b.fate;
    if (fate.kind !== 'output') {
      if (fate.kind === 'doc') owner = undefined;
      continue;
    }
    const at = (message: string, hint: string, line = b.pos.line, col = 1): void => {
      diagnostics.push(diagnostic(b.pos.file, line, col, message, hint));
    };
    if (!owner) {
      at(
        'this output block follows no shell block in its step',
        'put it right after the ```bash block whose output it shows (prose may stand between)',
      );
      continue;
    }
    const taken = (owner.outputs ?? []).flatMap((o) => o.platforms).filter((p) => fate.platforms.includes(p));
    if (taken.length)
      at(
        `a second output block for ${taken.join(', ')} after the block at line ${owner.pos.line}`,
        'keep one output block per platform, e.g. podlab=output:local and podlab=output:aks',
      );
    try {
      (owner.outputs ??= []).push({ block: b, platforms: fate.platforms, lines: parseExpected(b.content) });
    } catch (e) {
      if (!(e instanceof PatternError)) throw e;
      at(
        `output pattern does not compile: ${e.message}`,
        'fix the regular expression before ` (re)`, or write the line literally with [..] for what varies',
        b.pos.line + e.line,
        e.col,
      );
    }
  }
  return diagnostics;
}
