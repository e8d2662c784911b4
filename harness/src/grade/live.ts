// `podlab grade --serve/--watch`: keep the matrix current until interrupted.
import { visible } from '../terminal.js';
import type { Cohort } from './cohort.js';
import type { GradeMatrix } from './matrix.js';
import type { Scoreboard } from './serve.js';
import type { Redactor } from '../report/redact.js';

export interface LiveOptions {
  /** the scoreboard, already listening (grade opens it before the first pass, so a bad address costs no grading) */
  board?: Scoreboard;
  watch?: boolean;
  /** seconds between full regrades with --watch */
  interval: number;
  /** where the table/JSON/CSV goes on every change when not serving */
  emit(m: GradeMatrix): void;
  output?: string;
  signal: AbortSignal;
  /** the grade command's: a failed regrade's message is redacted with it */
  redactor: Redactor;
}

export async function live(cohort: Cohort, first: GradeMatrix, o: LiveOptions): Promise<void> {
  const board = o.board;
  board?.publish(first);

  let timer: NodeJS.Timeout | undefined;
  if (o.watch) {
    let full = false; // the next pass is the periodic one: it keeps no exec result from before
    const regrade = onePassAtATime(
      async () => {
        const m = await cohort.grade({ full: full && !(full = false) });
        board?.publish(m);
        if (!board || o.output) o.emit(m);
      },
      o.signal,
      'podlab grade: regrading failed',
      o.redactor,
    );
    cohort.watch(regrade);
    timer = setInterval(() => {
      full = true;
      regrade();
    }, o.interval * 1000);
  }

  await new Promise<void>((resolve) => {
    if (o.signal.aborted) resolve();
    o.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearInterval(timer);
  cohort.stop();
}

/**
 * A trigger for `pass` that runs one pass at a time: triggers that arrive during a pass cause exactly one
 * more, so a burst of cluster events costs two passes, not one per event. A pass that fails is said on stderr after
 * `failure`, redacted with the command's `redactor`.
 */
export function onePassAtATime(
  pass: () => Promise<void>,
  signal: AbortSignal,
  failure: string,
  redactor: Redactor,
): () => void {
  let running: Promise<void> | undefined;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await pass();
      } while (again && !signal.aborted);
    })()
      .catch((err: unknown) =>
        console.error(`${failure}: ${visible(redactor.redact((err as Error)?.message ?? String(err)))}`),
      )
      .finally(() => {
        running = undefined;
      });
  };
}
