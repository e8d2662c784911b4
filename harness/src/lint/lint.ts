// podlab lint: schema + structure (via the model) + lab ↔ scenario pairing + referenced manifests.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadLab } from '../model/load.js';
import type { Diagnostic, Lab, LabModule } from '../model/types.js';
import { afterProblems, type StepSource } from '../scenario/after.js';
import { loadScenario, loadScenarios } from '../scenario/load.js';

export async function lintPaths(paths: string[], { root }: { root: string }): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  for (const p of expandLabs(paths, root)) {
    const { lab, diagnostics: found } = await loadLab(p, { root });
    diagnostics.push(...found);
    // Compiled side by side; pairing() below then finds each one loaded.
    if (!lab) continue;
    await loadScenarios(lab.modules.flatMap((m) => (m.frontMatter.scenario ? [resolve(lab.root, m.frontMatter.scenario)] : [])));
    for (const m of lab.modules) {
      diagnostics.push(...(await pairing(m, lab.root)), ...manifests(m, lab.root));
    }
    diagnostics.push(...(await stepOrder(lab)));
  }
  return diagnostics;
}

/** `labs/` (a folder of labs) stands for each lab inside it. */
function expandLabs(paths: string[], root: string): string[] {
  return paths.flatMap((p) => {
    const abs = resolve(p);
    if (existsSync(abs) && statSync(abs).isDirectory()) {
      const children = readdirDirs(abs);
      const hasModules = readdirFiles(abs).some((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md');
      if (!hasModules && children.length) return children.map((c) => resolve(abs, c));
    }
    return [existsSync(abs) ? abs : p];
  }).filter((p) => p !== root);
}

import { readdirSync } from 'node:fs';
const readdirDirs = (d: string) => readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
const readdirFiles = (d: string) => readdirSync(d, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);

async function pairing(m: LabModule, root: string): Promise<Diagnostic[]> {
  const at = (message: string, hint: string, line = 1): Diagnostic => ({ pos: { file: m.file, line, col: 1 }, message, hint, severity: 'error' });
  if (!m.frontMatter.scenario) return [at('module names no scenario', 'add `scenario: scenarios/<lab>/<module>.ts` to the front matter')];
  const file = resolve(root, m.frontMatter.scenario);
  const { scenario, diagnostics } = await loadScenario(file);
  if (!scenario) return diagnostics;
  const out: Diagnostic[] = [];
  if (scenario.module !== m.frontMatter.id) {
    out.push(at(`scenario ${m.frontMatter.scenario} is for module \`${scenario.module}\`, not \`${m.frontMatter.id}\``, 'make defineScenario()\'s first argument equal the front matter `id`'));
  }
  const scenarioIds = new Set(scenario.steps.map((s) => s.id));
  for (const s of m.steps) {
    if (!scenarioIds.has(s.id)) out.push({ pos: s.pos, severity: 'error', message: `step \`${s.id}\` has no scenario step in ${m.frontMatter.scenario}`, hint: `add step({ id: '${s.id}', ... }) to the scenario` });
  }
  const labIds = new Set(m.steps.map((s) => s.id));
  for (const s of scenario.steps) {
    if (!labIds.has(s.id)) out.push({ pos: { file, line: 1, col: 1 }, severity: 'error', message: `scenario step \`${s.id}\` has no step in ${relative(process.cwd(), m.file)}`, hint: `add a heading ending in {#${s.id}} to the lab, or remove the scenario step` });
  }
  return out;
}

/** `after` names earlier steps of the lab only (the run order is the lab's order of headings). */
async function stepOrder(lab: Lab): Promise<Diagnostic[]> {
  const steps: StepSource[] = [];
  for (const m of lab.modules) {
    if (!m.frontMatter.scenario) continue;
    const file = resolve(lab.root, m.frontMatter.scenario);
    const byId = new Map((await loadScenario(file)).scenario?.steps.map((s) => [s.id, s]));
    for (const s of m.steps) {
      const step = byId.get(s.id);
      if (step) steps.push({ file, step });
    }
  }
  return afterProblems(steps);
}

function manifests(m: LabModule, root: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const s of m.steps) {
    for (const c of s.commands) {
      for (const [i, line] of c.content.split('\n').entries()) {
        for (const match of line.matchAll(/manifests\/[\w./-]+\.ya?ml/g)) {
          const rel = match[0];
          const pos = { file: m.file, line: c.pos.line + 1 + i, col: (match.index ?? 0) + 1 };
          if (seen.has(rel)) continue;
          seen.add(rel);
          const file = resolve(root, rel);
          if (!existsSync(file)) {
            out.push({ pos, severity: 'error', message: `manifest ${rel} does not exist`, hint: 'create it under manifests/ or fix the path' });
            continue;
          }
          for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
            if (!('errors' in doc) || doc.errors.length) {
              out.push({ pos, severity: 'error', message: `manifest ${rel} is not valid YAML`, hint: `fix ${rel}` });
              break;
            }
            const obj = doc.toJS() as { apiVersion?: unknown; kind?: unknown } | null;
            if (obj && (!obj.apiVersion || !obj.kind)) out.push({ pos, severity: 'error', message: `a document in ${rel} lacks apiVersion or kind`, hint: `fix ${rel}` });
          }
        }
      }
    }
  }
  return out;
}

export function formatDiagnostic(d: Diagnostic): string {
  const file = relative(process.cwd(), d.pos.file) || d.pos.file;
  return `${file}:${d.pos.line}:${d.pos.col} ${d.severity}: ${d.message}${d.hint ? ` (${d.hint})` : ''}`;
}
