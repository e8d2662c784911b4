// TAP version 14, written as results arrive: one subtest per module, a YAML block on every step that did
// not pass (and on every step whose text ran, as its evidence). `podlab doctor` writes its points here too.
import { visible } from '../terminal.js';
import { stringify } from 'yaml';
import type { PointResult, RunResult, StepResult } from './model.js';
import type { Redactor } from './redact.js';

export interface TapPoint {
  ok: boolean;
  name: string;
  /** a SKIP directive with its reason */
  skip?: string;
  /** YAML diagnostics, redacted */
  diag?: Record<string, unknown>;
}

/** The one TAP escaper: a description or directive reason on one line, redacted, `#` and `\` escaped. */
const tapText = (s: string, redactor: Redactor) =>
  visible(redactor.redact(s).replace(/\\/g, '\\\\').replace(/#/g, '\\#').replace(/\s+/g, ' ').trim());

/** One test point, its text and diagnostics redacted by `redactor` (the command's). */
export function tapPoint(n: number, p: TapPoint, redactor: Redactor, indent = ''): string[] {
  const text = (s: string) => tapText(s, redactor);
  const lines = [
    `${indent}${p.ok || p.skip !== undefined ? 'ok' : 'not ok'} ${n} - ${text(p.name)}${p.skip !== undefined ? ` # SKIP ${text(p.skip)}` : ''}`,
  ];
  if (p.diag && Object.keys(p.diag).length) {
    lines.push(
      `${indent}  ---`,
      ...yamlBlock(redactor.redactValue(p.diag))
        .trimEnd()
        .split('\n')
        .map((l) => `${indent}  ${l}`),
      `${indent}  ...`,
    );
  }
  return lines;
}

/**
 * A TAP YAML block in the forms every consumer reads: Perl's TAP::Harness (`prove`) knows no block scalars
 * (`|-`) and no multi-line quoted scalars, so every string is one double-quoted line with JSON's escapes, which
 * tap-parser and tap4j read too. U+2028/U+2029 are escaped as well (TAP parsers split lines at them), and so are
 * DEL, C1 controls and the characters that reorder or hide text, which JSON leaves raw: a terminal shows TAP too.
 */
function yamlBlock(v: unknown): string {
  return stringify(v, {
    lineWidth: 0,
    defaultStringType: 'QUOTE_DOUBLE',
    defaultKeyType: 'PLAIN',
    doubleQuotedAsJSON: true,
    doubleQuotedMinMultiLineLength: Infinity,
  }).replace(
    /[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Streams one run's TAP: `start` once, `step` for each result in lab order, `end` once. */
export class RunTap {
  private module: string | undefined;
  private inModule: PointResult[] = [];
  private subtests = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly redactor: Redactor,
  ) {}

  start(r: Pick<RunResult, 'mode' | 'lab' | 'namespace' | 'sandbox' | 'platform'>): void {
    const platform = r.platform ? `, platform ${r.platform}` : '';
    this.write(
      `TAP version 14\n# podlab ${r.mode} ${r.lab} (namespace ${r.namespace}, sandbox ${r.sandbox ?? 'none'}${platform})\n`,
    );
  }

  step(s: StepResult): void {
    this.point(s, s.module);
  }

  end(r: RunResult): void {
    if (r.teardown) this.point(r.teardown, 'teardown');
    this.closeModule();
    const tail = [`1..${this.subtests}`];
    if (r.interrupted) tail.push(`# interrupted: ${tapText(r.interrupted, this.redactor)}`);
    if (r.retries.length) tail.push(`# API retries: ${r.retries.length}`);
    this.write(`${tail.join('\n')}\n`);
  }

  /** A test point in the subtest `label` (a module, or the teardown's own). */
  private point(s: PointResult, label: string): void {
    if (label !== this.module) {
      this.closeModule();
      this.module = label;
      this.write(`# Subtest: ${label}\n`);
    }
    this.inModule.push(s);
    this.write(`${stepPoint(s, this.inModule.length, this.redactor).join('\n')}\n`);
  }

  private closeModule(): void {
    if (this.module === undefined) return;
    const steps = this.inModule;
    const failed = steps.some((s) => s.status === 'fail');
    const skipped = steps.length > 0 && steps.every((s) => s.status === 'skip');
    this.subtests++;
    const point = tapPoint(
      this.subtests,
      { ok: !failed, name: this.module, ...(skipped ? { skip: steps[0]?.reason ?? '' } : {}) },
      this.redactor,
    );
    this.write(`    1..${steps.length}\n${point.join('\n')}\n`);
    this.module = undefined;
    this.inModule = [];
  }
}

/** A whole run's TAP at once. */
export function toTap(r: RunResult, redactor: Redactor): string {
  let out = '';
  const tap = new RunTap((text) => {
    out += text;
  }, redactor);
  tap.start(r);
  for (const s of r.steps) tap.step(s);
  tap.end(r);
  return out;
}

/** A step's point, inside its module's subtest (indented). */
function stepPoint(s: PointResult, n: number, redactor: Redactor): string[] {
  const indent = '    ';
  const name = `${s.id} - ${s.title}`;
  if (s.status === 'skip') return tapPoint(n, { ok: true, name, skip: s.reason ?? '' }, redactor, indent);
  const retries = s.retries?.length
    ? { count: s.retries.length, first: s.retries[0]!.error, last: s.retries.at(-1)!.error }
    : undefined;
  if (s.status === 'pass') {
    const lines = tapPoint(
      n,
      {
        ok: true,
        name,
        ...(Array.isArray(s.evidence?.blocks) && s.evidence.blocks.length
          ? { diag: { blocks: s.evidence.blocks } }
          : {}),
      },
      redactor,
      indent,
    );
    if (retries)
      lines.push(`${indent}# ${s.id}: ${retries.count} API call(s) retried (${tapText(retries.last, redactor)})`);
    return lines;
  }
  return tapPoint(
    n,
    {
      ok: false,
      name,
      diag: {
        message: s.reason ?? 'check failed',
        expected: s.expected ?? null,
        actual: s.actual ?? null,
        hint: s.hint ?? null,
        attempts: s.attempts,
        duration_ms: s.durationMs,
        ...(retries ? { api_retries: retries } : {}),
        ...(s.evidence && Object.keys(s.evidence).length ? { evidence: s.evidence } : {}),
      },
    },
    redactor,
    indent,
  );
}
