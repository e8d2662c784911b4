// How run and solve show their steps: live at a terminal (LiveSteps on stderr), plain lines otherwise.
import type { PlannedStep } from '../plan/plan.js';
import { LiveSteps, redraws } from '../report/live.js';
import type { PointResult } from '../report/model.js';
import type { Redactor } from '../report/redact.js';

export interface StepDisplay {
  start: (id: string) => void;
  /** a step (or the teardown) ended: its row is redrawn, or (not at a terminal) plain(s) is printed on stderr when given */
  done: (s: PointResult, plain?: (s: PointResult) => string) => void;
  stop: () => void;
  /** writes to stdout; held until stop() when stdout is the same terminal, so the redraw does not tear it */
  stdout: (text: string) => void;
  /** a line about podlab's own doings (an abandoned run reaped) on stderr; after the redraw ends, at a terminal */
  note: (line: string) => void;
}

/** `steps` are the run's selected steps, one row each; `redactor` is the command's. */
export function liveSteps(
  steps: PlannedStep[],
  redactor: Redactor,
  err: NodeJS.WriteStream = process.stderr,
  out: NodeJS.WriteStream = process.stdout,
): StepDisplay {
  if (!redraws(err)) {
    return {
      start: () => {},
      done: (s, plain) => plain && err.write(`${plain(s)}\n`),
      stop: () => {},
      stdout: (text) => void out.write(text),
      note: (line) => void err.write(`${line}\n`),
    };
  }
  const rows = steps.map((p) => ({ id: p.step.id, title: p.step.title }));
  const view = new LiveSteps(rows, (s) => err.write(s), redactor);
  const held: string[] = [];
  const notes: string[] = [];
  return {
    start: (id) => view.start(id),
    done: (s) => view.done(s),
    stop: () => {
      view.stop();
      for (const line of notes.splice(0)) err.write(`${line}\n`);
      for (const text of held.splice(0)) out.write(text);
    },
    stdout: (text) => (out.isTTY ? held.push(text) : out.write(text)),
    note: (line) => void notes.push(line),
  };
}
