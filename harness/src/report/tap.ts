// TAP version 14: one subtest per module, YAML diagnostics on every step that did not pass.
import { stringify } from 'yaml';
import type { RunResult, StepResult } from './model.js';
import { redactValue } from './redact.js';

export function toTap(r: RunResult): string {
  const out: string[] = ['TAP version 14', `# podlab ${r.mode} ${r.lab} (namespace ${r.namespace}, sandbox ${r.sandbox ?? 'none'})`];
  const modules = [...new Set(r.steps.map((s) => s.module))];
  const top = [...modules.map((m) => ({ module: m, steps: r.steps.filter((s) => s.module === m) })), ...(r.teardown ? [{ module: 'teardown', steps: [r.teardown] }] : [])];
  out.push(`1..${top.length}`);
  top.forEach((group, i) => {
    out.push(`# Subtest: ${group.module}`);
    group.steps.forEach((s, j) => out.push(...point(s, j + 1, '    ')));
    out.push(`    1..${group.steps.length}`);
    const failed = group.steps.some((s) => s.status === 'fail');
    const skipped = group.steps.length > 0 && group.steps.every((s) => s.status === 'skip');
    out.push(`${failed ? 'not ok' : 'ok'} ${i + 1} - ${group.module}${skipped ? ` # SKIP ${group.steps[0]?.reason ?? ''}` : ''}`);
  });
  if (r.interrupted) out.push(`# interrupted: ${r.interrupted}`);
  if (r.retries.length) out.push(`# API retries: ${r.retries.length}`);
  return out.join('\n') + '\n';
}

function point(s: StepResult, n: number, indent: string): string[] {
  const name = `${s.id} - ${s.title}`.replace(/#/g, '\\#');
  if (s.status === 'skip') return [`${indent}ok ${n} - ${name} # SKIP ${oneLine(s.reason ?? '')}`];
  const lines = [`${indent}${s.status === 'pass' ? 'ok' : 'not ok'} ${n} - ${name}`];
  const retries = s.retries?.length ? { count: s.retries.length, first: s.retries[0]!.error, last: s.retries.at(-1)!.error } : undefined;
  if (s.status === 'pass' && retries) lines.push(`${indent}# ${s.id}: ${retries.count} API call(s) retried (${oneLine(retries.last)})`);
  // What the step's text printed, block by block, is its evidence even when it passed.
  if (s.status === 'pass' && Array.isArray(s.evidence?.blocks) && s.evidence.blocks.length) lines.push(...yamlBlock({ blocks: s.evidence.blocks }, indent));
  if (s.status === 'fail') {
    const diag = redactValue({
      message: s.reason ?? 'check failed', expected: s.expected ?? null, actual: s.actual ?? null,
      hint: s.hint ?? null, attempts: s.attempts, duration_ms: s.durationMs, ...(retries ? { api_retries: retries } : {}),
      ...(s.evidence && Object.keys(s.evidence).length ? { evidence: s.evidence } : {}),
    });
    lines.push(...yamlBlock(diag, indent));
  }
  return lines;
}

function yamlBlock(value: unknown, indent: string): string[] {
  return [`${indent}  ---`, ...stringify(redactValue(value), { lineWidth: 0 }).trimEnd().split('\n').map((l) => `${indent}  ${l}`), `${indent}  ...`];
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').replace(/#/g, '\\#');
