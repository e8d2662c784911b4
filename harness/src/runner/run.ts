// podlab run / check / solve: a lab's planned steps against one namespace. In run and solve each step's text
// (its shell blocks for this platform) is typed into one shell session, then its check decides "done".
import type { Plan } from '../plan/plan.js';
import type { RunResult } from '../report/model.js';
import { LabRun } from './lab-run.js';
import type { RunOptions } from './options.js';

export type { RunOptions } from './options.js';

export async function runLab(plan: Plan, o: RunOptions): Promise<RunResult> {
  const run = await LabRun.prepare(plan, o);
  try {
    await run.open();
    await run.steps();
  } finally {
    await run.close();
  }
  return run.result;
}
