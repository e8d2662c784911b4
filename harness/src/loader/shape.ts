// What a loaded scenario module must be: a defineScenario() default export whose steps have ids and checks.
// Turns a probe's report, or an import's error, into a Scenario or positioned diagnostics.
import type { Diagnostic } from '../model/types.js';
import { diagnostic, fileDiagnostic } from '../model/diagnostic.js';
import { FUNCTION_KEY, type ProbeError, type Probed } from './probe.js';
import type { Scenario } from '../scenario/types.js';

export type Loaded = { scenario?: Scenario; diagnostics: Diagnostic[] };

export const loadError = (file: string, message: string, stack = ''): Loaded => {
  const at = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)`).exec(`${message}\n${stack}`);
  const hint = 'fix the error in the scenario file';
  return {
    diagnostics: [
      diagnostic(
        file,
        Number(at?.[1] ?? 1),
        Number(at?.[2] ?? 1),
        `scenario cannot be loaded: ${message.split('\n')[0]}`,
        hint,
      ),
    ],
  };
};

/** A scenario whose top-level code was still running at the limit: in the probe child, or imported by podlab. */
export const notLoadedInTime = (file: string, limit: number): Loaded => ({
  diagnostics: [
    fileDiagnostic(
      file,
      `scenario did not finish loading within ${limit / 1000} s`,
      'its top-level code must not wait or loop: do the work in run() or check()',
    ),
  ],
});

/** A scenario whose top-level code reached for what loading may not: a file outside the project, a process, a write. */
const deniedError = (file: string, e: NonNullable<ProbeError['denied']>, stack: string): Loaded => {
  const what = e.resource ? `${e.permission} of ${e.resource}` : e.permission;
  const loaded = loadError(file, `its top-level code was refused ${what}`, stack);
  loaded.diagnostics[0]!.hint =
    'loading a scenario may only read the project and its packages: start processes, write files or import by computed paths in run() or check()';
  return loaded;
};

export function fromProbe(file: string, p: Probed, limit: number): Loaded {
  if (p.error?.denied) return deniedError(file, p.error.denied, p.error.stack);
  if (p.error) return loadError(file, p.error.message, p.error.stack);
  if (p.hung !== undefined) return notLoadedInTime(file, limit);
  if (p.exited !== undefined || !('shape' in p))
    return {
      diagnostics: [
        fileDiagnostic(
          file,
          `scenario ended the process while loading (${p.exited ?? 'no report'})`,
          'remove process.exit() and the like from its top-level code',
        ),
      ],
    };
  return validate(file, revive(p.shape) as Partial<Scenario> | undefined);
}

/** The reported shape with each function put back as a stand-in: lint reads the shape, it never calls a step. */
function revive(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revive);
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (typeof o[FUNCTION_KEY] === 'string')
    return () => {
      throw new Error(`${String(o[FUNCTION_KEY])}: only the shape of this scenario was loaded`);
    };
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revive(x)]));
}

export function validate(file: string, s: Partial<Scenario> | undefined): Loaded {
  if (!s || typeof s.module !== 'string' || !Array.isArray(s.steps)) {
    return {
      diagnostics: [
        fileDiagnostic(
          file,
          'scenario has no default export from defineScenario()',
          "end the file with `export default defineScenario('<module id>', [step({...}), ...])`",
        ),
      ],
    };
  }
  const diagnostics: Diagnostic[] = [];
  const ids = new Set<string>();
  for (const [i, st] of s.steps.entries()) {
    const where = `step ${i + 1}${st?.id ? ` (\`${st.id}\`)` : ''}`;
    if (!st || typeof st.id !== 'string')
      diagnostics.push(
        fileDiagnostic(file, `${where} has no id`, 'give every step an `id` matching its heading in the lab'),
      );
    else if (ids.has(st.id))
      diagnostics.push(fileDiagnostic(file, `duplicate scenario step id \`${st.id}\``, 'every step id appears once'));
    else ids.add(st.id);
    if (st?.run !== undefined && typeof st.run !== 'function')
      diagnostics.push(
        fileDiagnostic(
          file,
          `${where}: run is not a function`,
          'write `async run(ctx) { ... }`, or leave it out when the text does the work',
        ),
      );
    if (typeof st?.check !== 'function')
      diagnostics.push(
        fileDiagnostic(
          file,
          `${where} has no check() function`,
          'add `async check(ctx) { return pass() }`, returning fail({ expected, actual, hint }) when it is not done',
        ),
      );
  }
  return diagnostics.length ? { diagnostics } : { scenario: s as Scenario, diagnostics };
}
