// `podlab grade --serve/--watch`: keep the matrix current until interrupted.
import type { Room } from './cohort.js';
import type { GradeMatrix } from './matrix.js';
import { serveScoreboard } from './serve.js';

export interface LiveOptions {
  serve?: string;
  watch?: boolean;
  /** seconds between full regrades with --watch */
  interval: number;
  /** where the table/JSON/CSV goes on every change when not serving */
  emit(m: GradeMatrix): void;
  output?: string;
  signal: AbortSignal;
}

export async function live(room: Room, first: GradeMatrix, o: LiveOptions): Promise<void> {
  const board = o.serve ? await serveScoreboard(o.serve) : undefined;
  board?.publish(first);
  if (board) console.error(`podlab grade: scoreboard at ${board.url} (Ctrl-C to stop)`);

  let timer: NodeJS.Timeout | undefined;
  if (o.watch) {
    const regrade = onePassAtATime(
      async () => {
        const m = await room.grade();
        board?.publish(m);
        if (!board || o.output) o.emit(m);
      },
      o.signal,
      'podlab grade: regrading failed',
    );
    room.watch(regrade);
    timer = setInterval(regrade, o.interval * 1000);
  }

  await new Promise<void>((resolve) => {
    if (o.signal.aborted) resolve();
    o.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearInterval(timer);
  room.stop();
  await board?.close();
}

/**
 * A trigger for `pass` that runs one pass at a time: triggers that arrive during a pass cause exactly one
 * more, so a burst of cluster events costs two passes, not one per event.
 */
export function onePassAtATime(pass: () => Promise<void>, signal: AbortSignal, failure: string): () => void {
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
      .catch((err: unknown) => console.error(`${failure}: ${(err as Error).message}`))
      .finally(() => {
        running = undefined;
      });
  };
}
