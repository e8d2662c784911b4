// When each planned step may start: after the steps it waits for, and alone unless it opted into concurrency.
import type { LabModule } from '../model/types.js';
import type { StepDefinition } from '../scenario/types.js';

type Planned = { module: LabModule; step: StepDefinition };

export interface Ordering {
  /** for each step, the indices (all earlier in the plan) of the steps that must have ended before it starts */
  waitsFor: number[][];
  /** for each step, the indices named by its `after` (a failure among them skips it) */
  needs: number[][];
  /** a step that runs alone: nothing else runs while it does */
  alone: boolean[];
  /**
   * Steps start in plan order: none starts before every step before it has started. A run that types the
   * lab's text sets it, since each step's text waits for the text before it.
   */
  inOrder?: boolean;
}

/**
 * Splits the plan into runs of steps started together: a maximal run of consecutive steps of the same module
 * that all say `parallel: true`, or of consecutive steps (of any module) that name the same group,
 * `parallel: 'name'`; every other step is a group of its own. A step with `after` is never in a group.
 */
export function parallelGroups<T extends Planned>(plan: T[]): T[][] {
  const groups: T[][] = [];
  const grouped = (p: T) =>
    !p.step.after && p.step.parallel !== undefined && p.step.parallel !== false && p.step.parallel !== '';
  const together = (a: T, b: T) =>
    grouped(a) &&
    grouped(b) &&
    ((a.step.parallel === true && b.step.parallel === true && a.module === b.module) ||
      (typeof a.step.parallel === 'string' && a.step.parallel === b.step.parallel));
  for (const p of plan) {
    const last = groups.at(-1);
    const prev = last?.at(-1);
    if (last && prev && together(prev, p)) last.push(p);
    else groups.push([p]);
  }
  return groups;
}

/**
 * - A step with `after: [ids]` waits only for those steps (the ones in the plan) and may run beside any step
 *   that does not run alone.
 * - A step of a parallel group waits for every step before its group and may run beside its group.
 * - Any other step waits for every step before it and runs alone.
 */
export function ordering<T extends Planned>(plan: T[]): Ordering {
  const index = new Map(plan.map((p, i) => [p.step.id, i]));
  const waitsFor: number[][] = [];
  const needs: number[][] = [];
  const alone: boolean[] = [];
  let first = 0;
  for (const group of parallelGroups(plan)) {
    for (const p of group) {
      const i = waitsFor.length;
      if (p.step.after) {
        const named = p.step.after.map((id) => index.get(id)).filter((j): j is number => j !== undefined && j < i);
        waitsFor.push(named);
        needs.push(named);
        alone.push(false);
      } else {
        waitsFor.push(Array.from({ length: first }, (_, j) => j));
        needs.push([]);
        alone.push(group.length === 1 && !p.step.parallel);
      }
    }
    first += group.length;
  }
  return { waitsFor, needs, alone };
}

/**
 * Starts every step whose waits are over, in plan order, and resolves once all have ended. A step that runs
 * alone starts only when nothing runs, and while it waits for that no later step starts (so it cannot be
 * starved). If `start` rejects, nothing more starts; the rejection is rethrown once the running steps end.
 */
export function runOrdered(o: Ordering, start: (i: number) => Promise<void>): Promise<void> {
  const n = o.waitsFor.length;
  const state: Array<'waiting' | 'running' | 'ended'> = Array(n).fill('waiting');
  let running = 0;
  let aloneRunning = false;
  let failure: { error: unknown } | undefined;
  return new Promise((resolveAll, rejectAll) => {
    const pump = () => {
      if (!failure) {
        for (let i = 0; i < n && !aloneRunning; i++) {
          if (state[i] !== 'waiting') continue;
          if (!o.waitsFor[i]!.every((j) => state[j] === 'ended')) {
            if (o.inOrder) break;
            continue;
          }
          if (o.alone[i]) {
            if (running === 0) launch(i);
            break;
          }
          launch(i);
        }
      }
      if (running > 0) return;
      if (failure) rejectAll(failure.error);
      else if (state.every((s) => s === 'ended')) resolveAll();
      // Unreachable while every wait points to an earlier step; a guard against hanging for ever.
      else
        rejectAll(
          new Error(`steps ${state.flatMap((s, i) => (s === 'waiting' ? [i] : [])).join(', ')} can never start`),
        );
    };
    const launch = (i: number) => {
      state[i] = 'running';
      running++;
      if (o.alone[i]) aloneRunning = true;
      let started: Promise<void>;
      try {
        started = start(i);
      } catch (error) {
        started = Promise.reject(error);
      }
      // Settles in a later microtask: every step that is ready now has started before any of them ends.
      started
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => {
          state[i] = 'ended';
          running--;
          if (o.alone[i]) aloneRunning = false;
          pump();
        });
    };
    pump();
  });
}
