// A lab plus its scenarios → a Plan: every step with its scenario definition and its blocks' fates, in lab
// order, and every problem found on the way as a positioned diagnostic. lint reports the diagnostics; run,
// check, solve and grade refuse a plan that has errors.
import type { CodeBlock, Diagnostic, Lab, LabModule, LabStep } from '../model/types.js';
import type { StepDefinition } from '../scenario/types.js';
import { loadScenarios } from '../loader/load.js';
import { afterProblems } from './after.js';
import { blockFate, runsOn, type Platform } from './blocks.js';
import { pairingProblems } from './pairing.js';
import { manifestProblems } from './manifests.js';
import { insideRoot } from '../files.js';
import { pairOutputs, type FatedBlock } from './outputs.js';
import { diagnostic, diagnosticAt, fileDiagnostic } from '../model/diagnostic.js';

/** A block with its fate; a shell block has its output blocks (plan/outputs.ts) */
export type PlannedBlock = FatedBlock;

export interface PlannedStep {
  module: LabModule;
  /** the step as the Markdown has it */
  labStep: LabStep;
  scenarioFile: string;
  /** the scenario's definition, titled as the lab titles it */
  step: StepDefinition;
  blocks: PlannedBlock[];
}

export interface Plan {
  lab: Lab;
  steps: PlannedStep[];
  diagnostics: Diagnostic[];
}

/** The module's scenario file, or why its `scenario:` path is refused (it must stay inside the project root). */
function scenarioFileOf(lab: Lab, m: LabModule): { file?: string; problem?: Diagnostic } {
  const named = m.frontMatter.scenario;
  if (!named) return {};
  const r = insideRoot(lab.root, named);
  if (r.path !== undefined) return { file: r.path };
  return {
    problem: diagnostic(
      m.file,
      m.frontMatterLines?.scenario ?? 1,
      1,
      `scenario ${named} ${r.problem}`,
      'keep scenarios inside the lab project, e.g. `scenario: scenarios/<lab>/<module>.ts`',
    ),
  };
}

export interface PlanOptions {
  /** lint needs only each scenario's shape, loaded in a child process; run, check, solve and grade need its functions too */
  functions?: boolean;
}

export async function planLab(lab: Lab, o: PlanOptions = {}): Promise<Plan> {
  const diagnostics: Diagnostic[] = [];
  const steps: PlannedStep[] = [];
  const files = new Map(lab.modules.map((m) => [m, scenarioFileOf(lab, m)]));
  const loaded = await loadScenarios(
    [...files.values()].flatMap((f) => (f.file ? [f.file] : [])),
    { ...o, root: lab.root },
  );
  for (const m of lab.modules) {
    diagnostics.push(
      ...manifestProblems(
        m.steps.flatMap((s) => s.commands),
        lab.root,
      ),
      ...strayBlockProblems(m),
    );
    const blocks = new Map(m.steps.map((s) => [s.id, s.commands.map((b) => planBlock(b, diagnostics))]));
    for (const list of blocks.values()) diagnostics.push(...pairOutputs(list));
    if (!m.frontMatter.scenario) {
      diagnostics.push(
        fileDiagnostic(
          m.file,
          'module names no scenario',
          'add `scenario: scenarios/<lab>/<module>.ts` to the front matter',
        ),
      );
      continue;
    }
    const { file, problem } = files.get(m)!;
    if (!file) {
      diagnostics.push(problem!);
      continue;
    }
    const { scenario, diagnostics: found } = loaded.get(file)!;
    diagnostics.push(...found);
    if (!scenario) continue;
    diagnostics.push(...pairingProblems(m, file, scenario));
    const byId = new Map(scenario.steps.map((s) => [s.id, s]));
    for (const s of m.steps) {
      const def = byId.get(s.id);
      if (!def) continue;
      const planned = {
        module: m,
        labStep: s,
        scenarioFile: file,
        step: { ...def, title: s.title || def.title },
        blocks: blocks.get(s.id)!,
      };
      diagnostics.push(...performProblems(planned));
      steps.push(planned);
    }
  }
  diagnostics.push(...afterProblems(steps.map((p) => ({ file: p.scenarioFile, step: p.step }))));
  return { lab, steps, diagnostics };
}

function planBlock(b: CodeBlock, diagnostics: Diagnostic[]): PlannedBlock {
  const { fate, diagnostic } = blockFate(b);
  if (diagnostic) diagnostics.push(diagnostic);
  return { ...b, fate };
}

/** A block outside every step would be shown to the attendee but never run. */
function strayBlockProblems(m: LabModule): Diagnostic[] {
  return m.strayBlocks
    .filter((b) => blockFate(b).fate.kind === 'run')
    .map((b) =>
      diagnosticAt(
        b.pos,
        'this block stands in no step, so no run types it',
        'move it into a step (under a heading ending in {#step-id}), or mark it podlab=skip',
      ),
    );
}

/** `runInstead` replaces the text with run(), so it needs both and a reason. */
function performProblems(p: PlannedStep): Diagnostic[] {
  const instead: unknown = p.step.runInstead;
  if (instead === undefined) return [];
  const at = (message: string, hint: string): Diagnostic => fileDiagnostic(p.scenarioFile, message, hint);
  if (typeof instead !== 'string' || !instead.trim())
    return [
      at(`step \`${p.step.id}\`: runInstead must say why the text cannot do the work`, "write runInstead: '<reason>'"),
    ];
  if (typeof p.step.run !== 'function')
    return [
      at(`step \`${p.step.id}\` says runInstead but has no run()`, 'add `async run(ctx) { ... }`, or drop runInstead'),
    ];
  return [];
}

/** The blocks of a step a run on this platform types, in document order. */
export const blocksFor = (p: PlannedStep, platform: Platform): PlannedBlock[] =>
  p.blocks.filter((b) => runsOn(b.fate, platform));

export interface StepSelection {
  step?: string;
  from?: string;
  to?: string;
}

/** The steps `--step`, `--from` and `--to` select; an unknown id is a usage problem (returned as text). */
export function selectSteps(plan: Plan, o: StepSelection): { steps: PlannedStep[]; problem?: string } {
  const ids = plan.steps.map((p) => p.step.id);
  for (const [flag, id] of [
    ['--step', o.step],
    ['--from', o.from],
    ['--to', o.to],
  ] as const) {
    if (id && !ids.includes(id))
      return { steps: [], problem: `${flag} ${id}: no such step in lab ${plan.lab.id} (steps: ${ids.join(', ')})` };
  }
  if (o.step) return { steps: plan.steps.filter((p) => p.step.id === o.step) };
  const from = o.from ? ids.indexOf(o.from) : 0;
  const to = o.to ? ids.indexOf(o.to) : ids.length - 1;
  return { steps: plan.steps.slice(from, to + 1) };
}
