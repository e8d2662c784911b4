// Imports a scenario module (TypeScript or JavaScript) at run time through tsx: authors need no build step.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import type { Diagnostic } from '../model/types.js';
import type { Scenario } from './types.js';

const cache = new Map<string, Promise<{ scenario?: Scenario; diagnostics: Diagnostic[] }>>();

export function loadScenario(file: string): Promise<{ scenario?: Scenario; diagnostics: Diagnostic[] }> {
  let loaded = cache.get(file);
  if (!loaded) {
    loaded = importScenario(file);
    cache.set(file, loaded);
  }
  return loaded;
}

const problem = (file: string, message: string, hint: string, line = 1, col = 1): Diagnostic => ({
  pos: { file, line, col }, message, hint, severity: 'error',
});

async function importScenario(file: string): Promise<{ scenario?: Scenario; diagnostics: Diagnostic[] }> {
  if (!existsSync(file)) return { diagnostics: [problem(file, 'scenario file not found', 'create it, or fix the `scenario:` path in the module front matter')] };
  let mod: { default?: unknown };
  try {
    mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as { default?: unknown };
  } catch (err) {
    const text = String((err as Error)?.message ?? err);
    const at = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)`).exec(`${text}\n${(err as Error)?.stack ?? ''}`);
    return { diagnostics: [problem(file, `scenario cannot be loaded: ${text.split('\n')[0]}`, 'fix the error in the scenario file', Number(at?.[1] ?? 1), Number(at?.[2] ?? 1))] };
  }
  const s = mod.default as Partial<Scenario> | undefined;
  if (!s || typeof s.module !== 'string' || !Array.isArray(s.steps)) {
    return { diagnostics: [problem(file, 'scenario has no default export from defineScenario()', "end the file with `export default defineScenario('<module id>', [step({...}), ...])`")] };
  }
  const diagnostics: Diagnostic[] = [];
  const ids = new Set<string>();
  for (const [i, st] of s.steps.entries()) {
    const where = `step ${i + 1}${st?.id ? ` (\`${st.id}\`)` : ''}`;
    if (!st || typeof st.id !== 'string') diagnostics.push(problem(file, `${where} has no id`, 'give every step an `id` matching its heading in the lab'));
    else if (ids.has(st.id)) diagnostics.push(problem(file, `duplicate scenario step id \`${st.id}\``, 'every step id appears once'));
    else ids.add(st.id);
    if (typeof st?.run !== 'function') diagnostics.push(problem(file, `${where} has no run() function`, 'add `async run(ctx) { ... }`'));
    if (typeof st?.check !== 'function') diagnostics.push(problem(file, `${where} has no check() function`, 'add `async check(ctx) { return { ok, expected, actual } }`'));
  }
  return diagnostics.length ? { diagnostics } : { scenario: s as Scenario, diagnostics };
}
