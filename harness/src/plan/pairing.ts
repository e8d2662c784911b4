// Lab ↔ scenario pairing: every lab step has a scenario step of the same id, and the other way round.
import { relative } from 'node:path';
import type { Diagnostic, LabModule } from '../model/types.js';
import type { Scenario } from '../scenario/types.js';

export function pairingProblems(m: LabModule, scenarioFile: string, scenario: Scenario): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (scenario.module !== m.frontMatter.id) {
    out.push({
      pos: { file: m.file, line: 1, col: 1 },
      severity: 'error',
      message: `scenario ${m.frontMatter.scenario} is for module \`${scenario.module}\`, not \`${m.frontMatter.id}\``,
      hint: "make defineScenario()'s first argument equal the front matter `id`",
    });
  }
  const scenarioIds = new Set(scenario.steps.map((s) => s.id));
  for (const s of m.steps) {
    if (!scenarioIds.has(s.id))
      out.push({
        pos: s.pos,
        severity: 'error',
        message: `step \`${s.id}\` has no scenario step in ${m.frontMatter.scenario}`,
        hint: `add step({ id: '${s.id}', ... }) to the scenario`,
      });
  }
  const labIds = new Set(m.steps.map((s) => s.id));
  for (const s of scenario.steps) {
    if (!labIds.has(s.id)) {
      out.push({
        pos: { file: scenarioFile, line: 1, col: 1 },
        severity: 'error',
        message: `scenario step \`${s.id}\` has no step in ${relative(process.cwd(), m.file)}`,
        hint: `add a heading ending in {#${s.id}} to the lab, or remove the scenario step`,
      });
    }
  }
  return out;
}
