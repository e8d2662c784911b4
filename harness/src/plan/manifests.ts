// Manifest paths named in a module's blocks exist and parse as Kubernetes YAML.
import { parseAllDocuments } from 'yaml';
import type { CodeBlock, Diagnostic } from '../model/types.js';
import { ALIAS_HINT, toValue } from '../model/frontmatter.js';
import { insideRoot, readRegularFile } from '../files.js';
import { diagnosticAt } from '../model/diagnostic.js';

export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export function manifestProblems(blocks: CodeBlock[], root: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const c of blocks) {
    for (const [i, line] of c.content.split('\n').entries()) {
      for (const { rel, index } of manifestPaths(line)) {
        if (seen.has(rel)) continue;
        seen.add(rel);
        const pos = { file: c.pos.file, line: c.pos.line + 1 + i, col: index + 1 };
        out.push(...manifestFileProblems(root, rel).map((d) => diagnosticAt(pos, d.message, d.hint)));
      }
    }
  }
  return out;
}

/**
 * The `manifests/....yaml` paths a line names, as `/manifests\/[\w./-]+\.ya?ml/g` would find them, in linear time:
 * that expression backtracks over the rest of the line from every `manifests/`, quadratic on a long line.
 */
function manifestPaths(line: string): Array<{ rel: string; index: number }> {
  const out: Array<{ rel: string; index: number }> = [];
  for (const word of line.matchAll(/[\w./-]+/g)) {
    const start = word[0].indexOf('manifests/');
    if (start < 0) continue;
    const tail = word[0].slice(start + 'manifests/'.length);
    // the longest path, as the greedy expression takes: up to the word's last .yaml or .yml
    const end = Math.max(
      ...['.yaml', '.yml'].map((ext) => (tail.lastIndexOf(ext) >= 1 ? tail.lastIndexOf(ext) + ext.length : -1)),
    );
    if (end > 0) out.push({ rel: `manifests/${tail.slice(0, end)}`, index: word.index + start });
  }
  return out;
}

/** What is wrong with one manifest file, positioned by the caller at the path's place in the block. */
function manifestFileProblems(root: string, rel: string): Array<{ message: string; hint: string }> {
  const inside = insideRoot(root, rel);
  if (inside.problem !== undefined)
    return [
      {
        message: `manifest ${rel} ${inside.problem}`,
        hint: 'keep manifests inside the lab project',
      },
    ];
  const read = readRegularFile(inside.path, MAX_MANIFEST_BYTES);
  if (read.problem === 'no such file')
    return [
      {
        message: `manifest ${rel} does not exist`,
        hint: 'create it under manifests/ or fix the path',
      },
    ];
  if (read.problem !== undefined)
    return [
      {
        message: `manifest ${rel} ${read.problem}`,
        hint: 'a manifest is a YAML file of at most 4 MiB',
      },
    ];
  for (const doc of parseAllDocuments(read.bytes.toString('utf8'))) {
    if (!('errors' in doc) || doc.errors.length)
      return [{ message: `manifest ${rel} is not valid YAML`, hint: `fix ${rel}` }];
    const { value, bomb } = toValue(doc);
    if (bomb !== undefined) return [{ message: `manifest ${rel} expands YAML aliases too often`, hint: ALIAS_HINT }];
    const obj = value as { apiVersion?: unknown; kind?: unknown } | null;
    if (obj && (!obj.apiVersion || !obj.kind))
      return [{ message: `a document in ${rel} lacks apiVersion or kind`, hint: `fix ${rel}` }];
  }
  return [];
}
