// podlab lint: the plan's diagnostics (schema, structure, pairing, `after`, manifests, block marks) for each lab,
// and what each platform's run will type.
import { visible } from '../terminal.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { loadLab } from '../model/load.js';
import type { Diagnostic } from '../model/types.js';
import { planLab, type Plan } from '../plan/plan.js';
import { PLATFORMS, runsOn } from '../plan/blocks.js';

export interface LintedLab {
  path: string;
  plan?: Plan;
}

export async function lintPaths(paths: string[], o: { root: string }): Promise<Diagnostic[]> {
  return (await lintLabs(paths, o)).diagnostics;
}

export async function lintLabs(
  paths: string[],
  { root, onLab }: { root: string; onLab?: (path: string) => void },
): Promise<{ diagnostics: Diagnostic[]; labs: LintedLab[] }> {
  const diagnostics: Diagnostic[] = [];
  const labs: LintedLab[] = [];
  for (const p of expandLabs(paths, root)) {
    onLab?.(p);
    const { lab, diagnostics: found } = await loadLab(p, { root });
    diagnostics.push(...found);
    if (!lab) {
      labs.push({ path: p });
      continue;
    }
    const plan = await planLab(lab);
    diagnostics.push(...plan.diagnostics);
    labs.push({ path: p, plan });
  }
  return { diagnostics, labs };
}

/** `labs/` (a folder of labs) stands for each lab inside it. */
function expandLabs(paths: string[], root: string): string[] {
  return paths
    .flatMap((p) => {
      const abs = resolve(p);
      if (existsSync(abs) && statSync(abs).isDirectory()) {
        const entries = readdirSync(abs, { withFileTypes: true });
        const children = entries
          .filter((e) => e.isDirectory())
          .map((e) => e.name)
          .sort();
        const hasModules = entries.some(
          (e) => e.isFile() && e.name.endsWith('.md') && e.name.toLowerCase() !== 'readme.md',
        );
        if (!hasModules && children.length) return children.map((c) => resolve(abs, c));
      }
      return [existsSync(abs) ? abs : p];
    })
    .filter((p) => p !== root);
}

/** One line per lab: how many blocks each platform's run types, and how many no run types. */
export function blockSummary(plan: Plan): string {
  const blocks = plan.steps.flatMap((s) => s.blocks).filter((b) => b.fate.kind === 'run' || b.fate.kind === 'skip');
  const per = PLATFORMS.map((p) => `${p} ${blocks.filter((b) => runsOn(b.fate, p)).length}`);
  const never = blocks.filter((b) => b.fate.kind === 'skip').length;
  return `${plan.lab.id}: shell blocks run per platform: ${per.join(', ')}; never run unattended: ${never}`;
}

/** Every shell block with its fate, `file:line  step  platforms`: what `podlab lint --blocks` prints. */
export function blockTable(plan: Plan): string[] {
  return plan.steps.flatMap((s) =>
    s.blocks
      .filter((b) => b.fate.kind === 'run' || b.fate.kind === 'skip')
      .map((b) => {
        const fate =
          b.fate.kind !== 'run'
            ? 'never (podlab=skip)'
            : b.fate.platforms.length === PLATFORMS.length
              ? 'every platform'
              : b.fate.platforms.join(',');
        const replaced = b.fate.kind === 'run' && s.step.runInstead ? ' (replaced by run(): runInstead)' : '';
        return visible(
          `${relative(process.cwd(), b.pos.file) || b.pos.file}:${b.pos.line}  ${s.step.id}  ${fate}${replaced}`,
        );
      }),
  );
}

export function formatDiagnostic(d: Diagnostic): string {
  const file = relative(process.cwd(), d.pos.file) || d.pos.file;
  return visible(`${file}:${d.pos.line}:${d.pos.col} ${d.severity}: ${d.message}${d.hint ? ` (${d.hint})` : ''}`);
}
