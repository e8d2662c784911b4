// A step's text, typed into the run's shell block by block; the first failing command fails the step.
import { relative } from 'node:path';
import type { PlannedBlock } from '../plan/plan.js';
import type { BlockOutcome, ShellSession } from '../shell/session.js';
import { StepFailure } from '../errors.js';
import type { Platform } from '../plan/blocks.js';
import { checkOutputs, seenOutput, type OutputUpdate } from './outputs.js';

/** Lines of a block's output kept in a report (the whole of it is in the JSON report's evidence). */
const TAIL_LINES = 20;

export interface TextOptions {
  session: ShellSession;
  /** where the lab's project is: positions are reported relative to it */
  root: string;
  signal: AbortSignal;
  /** records evidence for the report (ctx.evidence) */
  note: (key: string, value: unknown) => void;
  /** called after every block, whatever its outcome (the runner notes the namespaces it made) */
  afterBlock?: (block: PlannedBlock, outcome: BlockOutcome) => Promise<void>;
  /** whose output blocks a block's output is compared with */
  platform?: Platform;
  /** --update-outputs: an output that differs is collected here instead of failing the step */
  outputUpdates?: OutputUpdate[];
  /** why this platform's own output blocks are not compared: another runtime stands in for its sandbox */
  standIn?: string;
}

/** Runs the blocks in order; throws StepFailure at the first block that does not succeed. */
export async function runText(blocks: PlannedBlock[], o: TextOptions): Promise<void> {
  const record: Array<Record<string, unknown>> = [];
  o.note('blocks', record);
  for (const block of blocks) {
    const outcome = await o.session.run(block, o.signal);
    const at = where(o.root, outcome.failedAt?.pos ?? block.pos);
    const entry: Record<string, unknown> = {
      at: where(o.root, block.pos),
      exit: outcome.exitCode,
      ms: outcome.durationMs,
      ...(outcome.stdout ? { stdout: tail(outcome.stdout) } : {}),
      ...(outcome.stderr ? { stderr: tail(outcome.stderr) } : {}),
    };
    record.push(entry);
    await o.afterBlock?.(block, outcome);
    if (outcome.exitCode !== 0 || outcome.shellEnded) throw failure(at, outcome);
    const outputs = checkOutputs(block, outcome, {
      platform: o.platform,
      root: o.root,
      updates: o.outputUpdates,
      standIn: o.standIn,
    });
    if (outputs.evidence.length) entry.outputs = outputs.evidence;
    if (outputs.failure) throw outputs.failure;
  }
}

function failure(at: string, o: BlockOutcome): StepFailure {
  const output = tail(seenOutput(o), 10);
  const command = o.failedAt?.command;
  const what = command ? `\`${command.length > 120 ? `${command.slice(0, 119)}…` : command}\`` : 'the block';
  const message = o.stopped
    ? `${at}: ${what} was stopped: ${o.stopped}`
    : o.shellEnded && o.exitCode < 0
      ? `${at}: ${o.shellEnded}`
      : `${at}: ${what} exited ${o.exitCode}`;
  return new StepFailure(o.shellEnded && o.exitCode >= 0 ? `${message}; ${o.shellEnded}` : message, {
    expected: "every command of the step's text succeeds",
    actual: output || '(no output)',
    hint: o.stopped
      ? 'the command did not finish in time: does it wait for something that never comes?'
      : `run the command at ${at} by hand and fix the lab text (or the cluster) until it succeeds`,
  });
}

const where = (root: string, pos: { file: string; line: number }) =>
  `${relative(root, pos.file) || pos.file}:${pos.line}`;

/** The last `lines` lines of a text. */
function tail(text: string, lines = TAIL_LINES): string {
  const all = text.replace(/\n$/, '').split('\n');
  return all.length <= lines
    ? all.join('\n')
    : [`[${all.length - lines} lines before]`, ...all.slice(-lines)].join('\n');
}
