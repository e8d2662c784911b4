// Manifest paths named in a module's blocks exist and parse as Kubernetes YAML.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { CodeBlock, Diagnostic } from '../model/types.js';

export function manifestProblems(blocks: CodeBlock[], root: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const c of blocks) {
    for (const [i, line] of c.content.split('\n').entries()) {
      for (const match of line.matchAll(/manifests\/[\w./-]+\.ya?ml/g)) {
        const rel = match[0];
        if (seen.has(rel)) continue;
        seen.add(rel);
        const pos = { file: c.pos.file, line: c.pos.line + 1 + i, col: (match.index ?? 0) + 1 };
        out.push(...manifestFileProblems(resolve(root, rel), rel).map((d) => ({ ...d, pos })));
      }
    }
  }
  return out;
}

function manifestFileProblems(file: string, rel: string): Array<Omit<Diagnostic, 'pos'>> {
  if (!existsSync(file)) return [{ severity: 'error', message: `manifest ${rel} does not exist`, hint: 'create it under manifests/ or fix the path' }];
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (!('errors' in doc) || doc.errors.length) return [{ severity: 'error', message: `manifest ${rel} is not valid YAML`, hint: `fix ${rel}` }];
    const obj = doc.toJS() as { apiVersion?: unknown; kind?: unknown } | null;
    if (obj && (!obj.apiVersion || !obj.kind)) return [{ severity: 'error', message: `a document in ${rel} lacks apiVersion or kind`, hint: `fix ${rel}` }];
  }
  return [];
}
