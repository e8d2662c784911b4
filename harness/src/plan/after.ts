// `after` lists of a lab's steps: each names earlier steps of the same lab.
import { readRegularFile } from '../files.js';
import type { Diagnostic } from '../model/types.js';
import type { StepDefinition } from '../scenario/types.js';
import { diagnostic } from '../model/diagnostic.js';

/** A step of the lab and the scenario file that defines it. */
export interface StepSource {
  file: string;
  step: StepDefinition;
}

/**
 * What is wrong with the steps' `after` lists, at the line of each step in its scenario; `steps` are every
 * step of the lab, in lab order.
 */
export function afterProblems(steps: StepSource[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const all = new Set(steps.map(({ step }) => step.id));
  const earlier = new Set<string>();
  for (const { file, step: s } of steps) {
    const at = (message: string, hint: string) => out.push(diagnostic(file, stepLine(file, s.id), 1, message, hint));
    const after: unknown = s.after;
    if (after !== undefined) {
      if (!Array.isArray(after) || after.some((id) => typeof id !== 'string')) {
        at(`step \`${s.id}\`: \`after\` must be a list of step ids`, `write after: ['<earlier step id>', ...]`);
      } else {
        if (s.parallel !== undefined && s.parallel !== false) {
          at(
            `step \`${s.id}\` has both \`after\` and \`parallel\``,
            'keep one: `after` names the steps it needs, `parallel` a group it runs with',
          );
        }
        for (const id of after as string[]) {
          if (id === s.id) at(`step \`${s.id}\` runs after itself`, 'remove its own id from `after`');
          else if (!all.has(id))
            at(
              `step \`${s.id}\` runs after \`${id}\`, which is no step of this lab`,
              `known steps: ${[...all].join(', ')}`,
            );
          else if (!earlier.has(id))
            at(
              `step \`${s.id}\` runs after \`${id}\`, which comes later in the lab`,
              'a step can only run after earlier steps: reorder the lab, or drop the id from `after`',
            );
        }
      }
    }
    earlier.add(s.id);
  }
  return out;
}

/** The line where a step's `id: '<id>'` stands in its scenario source (1 if it cannot be found). */
function stepLine(file: string, id: string): number {
  const text = readRegularFile(file, 4 * 1024 * 1024).bytes?.toString('utf8');
  if (text === undefined) return 1;
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const at = new RegExp(`\\bid\\s*:\\s*(['"\`])${escaped}\\1`).exec(text);
  return at ? text.slice(0, at.index).split('\n').length : 1;
}
