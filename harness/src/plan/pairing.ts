// Lab ↔ scenario pairing: every lab step has a scenario step of the same id, and the other way round.
import { relative } from 'node:path';
import type { Diagnostic, LabModule } from '../model/types.js';
import type { Scenario } from '../scenario/types.js';
import { diagnosticAt, fileDiagnostic } from '../model/diagnostic.js';

export function pairingProblems(m: LabModule, scenarioFile: string, scenario: Scenario): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (scenario.module !== m.frontMatter.id) {
    out.push(
      fileDiagnostic(
        m.file,
        `scenario ${m.frontMatter.scenario} is for module \`${scenario.module}\`, not \`${m.frontMatter.id}\``,
        "make defineScenario()'s first argument equal the front matter `id`",
      ),
    );
  }
  const scenarioIds = new Set(scenario.steps.map((s) => s.id));
  for (const s of m.steps) {
    if (!scenarioIds.has(s.id))
      out.push(
        diagnosticAt(
          s.pos,
          `step \`${s.id}\` has no scenario step in ${m.frontMatter.scenario}`,
          `add step({ id: '${s.id}', ... }) to the scenario`,
        ),
      );
  }
  const labIds = new Set(m.steps.map((s) => s.id));
  for (const s of scenario.steps) {
    if (!labIds.has(s.id)) {
      out.push(
        fileDiagnostic(
          scenarioFile,
          `scenario step \`${s.id}\` has no step in ${relative(process.cwd(), m.file)}`,
          `add a heading ending in {#${s.id}} to the lab, or remove the scenario step`,
        ),
      );
    }
  }
  return out;
}
