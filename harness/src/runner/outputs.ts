// A shell block's output against its output blocks for this platform: a mismatch fails the step with a unified
// diff, or, with --update-outputs, is kept as the block's new text (rewritten after the run).
import { relative } from 'node:path';
import type { CodeBlock } from '../model/types.js';
import { PLATFORMS, type Platform } from '../plan/blocks.js';
import type { PlannedBlock } from '../plan/plan.js';
import { compareOutput } from '../plan/output-match.js';
import { linesOf } from '../plan/output-patterns.js';
import { unifiedDiff } from '../plan/unified-diff.js';
import type { BlockOutcome } from '../shell/session.js';
import { StepFailure } from '../errors.js';

/** An output block and the lines --update-outputs writes in it (the author's patterns kept where they match). */
export interface OutputUpdate {
  block: CodeBlock;
  lines: string[];
}

/** What the attendee sees: the block's stdout, then its stderr (each stream is captured apart). */
export const seenOutput = (o: BlockOutcome): string =>
  `${o.stdout}${o.stdout && !o.stdout.endsWith('\n') ? '\n' : ''}${o.stderr}`;

// kubectl's own log lines (klog: level letter, date, time, pid, source file:line) say how the client fared, such as
// a websocket's "Unknown stream id", not what the command printed; no output block could foresee them.
const KLOG_LINE = /^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [\w.-]+:\d+\] .*$\n?/gm;

/** The output an output block is compared with: what the attendee sees, without kubectl's own log lines. */
const comparedOutput = (o: BlockOutcome): string => seenOutput({ ...o, stderr: o.stderr.replace(KLOG_LINE, '') });

/**
 * Compares the block's output with each of its output blocks for `platform`: evidence for the report, and the
 * failure of the first mismatch, unless `updates` collects the new text instead.
 */
export function checkOutputs(
  block: PlannedBlock,
  outcome: BlockOutcome,
  o: { platform?: Platform; root: string; updates?: OutputUpdate[]; standIn?: string },
): { evidence: Array<Record<string, unknown>>; failure?: StepFailure } {
  const evidence: Array<Record<string, unknown>> = [];
  let failure: StepFailure | undefined;
  const wanted = (block.outputs ?? []).filter((x) => o.platform && x.platforms.includes(o.platform));
  for (const expected of wanted) {
    const at = where(o.root, expected.block.pos);
    // A platform's own block shows its real runtime (a Kata VM on AKS); another runtime standing in for it
    // cannot show that, so the block is left alone. A block for every platform is compared everywhere.
    if (o.standIn && expected.platforms.length < PLATFORMS.length) {
      evidence.push({ output: at, compared: false, reason: o.standIn });
      continue;
    }
    const result = compareOutput(expected.lines, linesOf(comparedOutput(outcome)));
    if (result.ok) {
      evidence.push({ output: at, matches: true });
      continue;
    }
    const written = expected.lines.map((l) => l.text);
    const diff = unifiedDiff(written, result.normalized, `expected (${at})`, 'actual (this run)');
    const lost = result.unmatched.filter((n) => expected.lines[n - 1]!.kind !== 'literal');
    const patterns = lost.map(
      (n) =>
        `${where(o.root, { ...expected.block.pos, line: expected.block.pos.line + n })}: pattern matches no line: ${written[n - 1]}`,
    );
    evidence.push({ output: at, matches: false, diff, ...(patterns.length ? { patterns } : {}) });
    if (o.updates) {
      o.updates.push({ block: expected.block, lines: result.normalized });
      continue;
    }
    failure ??= new StepFailure(`${at}: the output differs from this output block`, {
      expected: `the output of the block at ${where(o.root, block.pos)} as written at ${at}`,
      actual: [diff, ...patterns].join('\n'),
      hint: `if the new output is right, run with --update-outputs and commit the change to ${at}; otherwise fix the lab text or the cluster`,
    });
  }
  return { evidence, failure };
}

const where = (root: string, pos: { file: string; line: number }) =>
  `${relative(root, pos.file) || pos.file}:${pos.line}`;
