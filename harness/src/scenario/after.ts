// `after` lists of a lab's steps: each names earlier steps of the same lab.
import type { StepDefinition } from './types.js';

export interface AfterProblem { step: string; message: string; hint: string }

/** What is wrong with the steps' `after` lists; `steps` are every step of the lab, in lab order. */
export function afterProblems(steps: StepDefinition[]): AfterProblem[] {
  const out: AfterProblem[] = [];
  const all = new Set(steps.map((s) => s.id));
  const earlier = new Set<string>();
  for (const s of steps) {
    const after: unknown = s.after;
    if (after !== undefined) {
      if (!Array.isArray(after) || after.some((id) => typeof id !== 'string')) {
        out.push({ step: s.id, message: `step \`${s.id}\`: \`after\` must be a list of step ids`, hint: `write after: ['<earlier step id>', ...]` });
      } else {
        if (s.parallel !== undefined && s.parallel !== false) {
          out.push({ step: s.id, message: `step \`${s.id}\` has both \`after\` and \`parallel\``, hint: 'keep one: `after` names the steps it needs, `parallel` a group it runs with' });
        }
        for (const id of after as string[]) {
          if (id === s.id) out.push({ step: s.id, message: `step \`${s.id}\` runs after itself`, hint: 'remove its own id from `after`' });
          else if (!all.has(id)) out.push({ step: s.id, message: `step \`${s.id}\` runs after \`${id}\`, which is no step of this lab`, hint: `known steps: ${[...all].join(', ')}` });
          else if (!earlier.has(id)) out.push({ step: s.id, message: `step \`${s.id}\` runs after \`${id}\`, which comes later in the lab`, hint: 'a step can only run after earlier steps: reorder the lab, or drop the id from `after`' });
        }
      }
    }
    earlier.add(s.id);
  }
  return out;
}
