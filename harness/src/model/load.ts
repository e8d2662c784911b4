// Finds a lab (an id under labs/, a directory or a single module file) and parses its modules.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseModule } from './parse.js';
import { MAX_MODULE_BYTES, checkText } from './text.js';
import type { Diagnostic, Lab, LabModule } from './types.js';
import { projectRootOf } from '../paths.js';
import { readRegularFile } from '../files.js';
import { diagnosticAt, fileDiagnostic } from './diagnostic.js';

export interface LoadOptions {
  /** repository root holding labs/, scenarios/, manifests/ */
  root: string;
}

function resolveLabPath(pathOrId: string, root: string): string | undefined {
  for (const candidate of [
    resolve(pathOrId),
    resolve('labs', pathOrId),
    join(root, 'labs', pathOrId),
    join(root, pathOrId),
  ]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function loadModuleFile(file: string): { module?: LabModule; diagnostics: Diagnostic[] } {
  const read = readRegularFile(file, MAX_MODULE_BYTES);
  if (read.problem !== undefined)
    return {
      diagnostics: [
        fileDiagnostic(
          file,
          `lab module ${read.problem}`,
          read.problem.includes('limit')
            ? 'split the module into smaller files'
            : 'a lab module is a Markdown file (.md) of at most 1 MiB',
        ),
      ],
    };
  const checked = checkText(file, read.bytes);
  if (checked.text === undefined) return { diagnostics: checked.diagnostics };
  return parseModule(file, checked.text);
}

export async function loadLab(
  pathOrId: string,
  { root }: LoadOptions,
): Promise<{ lab?: Lab; diagnostics: Diagnostic[] }> {
  const path = resolveLabPath(pathOrId, root);
  if (!path) {
    return {
      diagnostics: [
        fileDiagnostic(
          pathOrId,
          'no such lab',
          `name a directory under ./labs or ${join(root, 'labs')}, or a .md file`,
        ),
      ],
    };
  }
  const dir = statSync(path).isDirectory();
  const files = dir
    ? readdirSync(path)
        .filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md')
        .sort()
        .map((f) => join(path, f))
    : [path];
  const diagnostics: Diagnostic[] = [];
  const modules: LabModule[] = [];
  for (const file of files) {
    const r = loadModuleFile(file);
    diagnostics.push(...r.diagnostics);
    if (r.module) modules.push(r.module);
  }
  if (files.length === 0) {
    diagnostics.push(fileDiagnostic(path, 'lab directory has no .md modules', 'add a module such as 01-setup.md'));
  }
  modules.sort((a, b) => (a.frontMatter.sidebar_position ?? Infinity) - (b.frontMatter.sidebar_position ?? Infinity));
  diagnostics.push(...uniqueIds(modules));
  const id = dir ? basename(path) : basename(resolve(path, '..'));
  const labDir = dir ? path : resolve(path, '..');
  return { lab: { id, dir: labDir, root: projectRootOf(labDir), modules }, diagnostics };
}

/** Step and module ids are unique across the whole lab: --step and grading name them alone. */
function uniqueIds(modules: LabModule[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const steps = new Map<string, { file: string; line: number }>();
  const moduleIds = new Map<string, string>();
  for (const m of modules) {
    const other = moduleIds.get(m.frontMatter.id);
    if (other)
      diagnostics.push(
        fileDiagnostic(
          m.file,
          `module id \`${m.frontMatter.id}\` is also used by ${other}`,
          'give each module a unique `id`',
        ),
      );
    moduleIds.set(m.frontMatter.id, m.file);
    for (const s of m.steps) {
      const first = steps.get(s.id);
      if (first && first.file !== m.file) {
        diagnostics.push(
          diagnosticAt(
            s.pos,
            `duplicate step id \`${s.id}\` (also in ${first.file}:${first.line})`,
            'step ids must be unique across the lab',
          ),
        );
      }
      if (!first) steps.set(s.id, { file: m.file, line: s.pos.line });
    }
  }
  return diagnostics;
}
