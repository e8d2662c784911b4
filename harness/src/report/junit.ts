// JUnit XML (the Ant/Jenkins dialect): typed suites and cases, serialised in one place for run and grade.
import type { PointResult, RunResult } from './model.js';
import type { Redactor } from './redact.js';
import { element, xmlEscape } from './xml.js';
import { stringify } from 'yaml';

export interface JUnitCase {
  name: string;
  classname: string;
  seconds: number;
  outcome?: { kind: 'failure' | 'skipped' | 'error'; message: string; type?: string; body?: string };
}

export interface JUnitSuite {
  name: string;
  package?: string;
  timestamp?: string;
  seconds: number;
  properties?: Record<string, string>;
  cases: JUnitCase[];
  /** what the suite printed (for a run: each step's shell blocks) */
  systemOut?: string;
}

export function junitXml(suites: JUnitSuite[], name?: string): string {
  const body = suites.map((s, i) => {
    const count = (k: string) => s.cases.filter((c) => c.outcome?.kind === k).length;
    const props = s.properties
      ? `    ${element(
          'properties',
          {},
          `\n${Object.entries(s.properties)
            .map(([k, v]) => `      ${element('property', { name: k, value: v })}`)
            .join('\n')}\n    `,
        )}\n`
      : '';
    const cases = s.cases
      .map((c) => {
        const o = c.outcome;
        const inner = o
          ? `\n      ${element(o.kind, { message: o.message, type: o.type }, o.body === undefined ? undefined : xmlEscape(o.body))}\n    `
          : undefined;
        return `    ${element('testcase', { name: c.name, classname: c.classname, time: c.seconds.toFixed(3) }, inner)}`;
      })
      .join('\n');
    const attrs = {
      name: s.name,
      id: i,
      package: s.package,
      hostname: 'podlab',
      timestamp: s.timestamp,
      tests: s.cases.length,
      failures: count('failure'),
      errors: count('error'),
      skipped: count('skipped'),
      time: s.seconds.toFixed(3),
    };
    const out = `    ${element('system-out', {}, s.systemOut ? xmlEscape(s.systemOut) : undefined)}\n    <system-err/>`;
    return `  ${element('testsuite', attrs, `\n${props}${cases}${cases ? '\n' : ''}${out}\n  `)}`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element('testsuites', { name }, `\n${body.join('\n')}\n`)}\n`;
}

/**
 * A run: one suite per module, one case per step; the teardown is a suite of its own. Redacted as a value (by the
 * command's redactor), then escaped.
 */
export function toJUnit(run: RunResult, redactor: Redactor): string {
  const r = redactor.redactValue(run);
  const groups = new Map<string, PointResult[]>();
  for (const s of r.steps) groups.set(s.module, [...(groups.get(s.module) ?? []), s]);
  const suites = [...groups.entries(), ...(r.teardown ? [['teardown', [r.teardown]] as const] : [])].map(
    ([module, steps]): JUnitSuite => suite(r, module, steps),
  );
  return junitXml(suites);
}

function suite(r: RunResult, module: string, steps: readonly PointResult[]): JUnitSuite {
  return {
    name: `${r.lab}/${module}`,
    package: r.lab,
    timestamp: r.startedAt.slice(0, 19),
    seconds: steps.reduce((a, s) => a + s.durationMs, 0) / 1000,
    properties: {
      namespace: r.namespace,
      sandbox: r.sandbox ?? 'none',
      ...(r.platform ? { platform: r.platform } : {}),
    },
    cases: steps.map((s) => ({
      name: `${s.id} - ${s.title}`,
      classname: `${r.lab}.${module}`,
      seconds: s.durationMs / 1000,
      outcome: outcomeOf(s),
    })),
    systemOut: steps.map(textOutput).filter(Boolean).join('\n'),
  };
}

function outcomeOf(s: PointResult): JUnitCase['outcome'] {
  if (s.status === 'pass') return undefined;
  if (s.status === 'skip') return { kind: 'skipped', message: s.reason ?? '' };
  const body = stringify(
    {
      expected: s.expected ?? null,
      actual: s.actual ?? null,
      hint: s.hint ?? null,
      attempts: s.attempts,
      evidence: s.evidence ?? {},
    },
    { lineWidth: 0 },
  );
  return { kind: 'failure', message: s.reason ?? 'check failed', type: 'CheckFailed', body };
}

/** What a step's text printed, block by block: a JUnit testcase has no output of its own, so its suite carries it. */
function textOutput(s: PointResult): string {
  const blocks = s.evidence?.blocks;
  if (!Array.isArray(blocks) || !blocks.length) return '';
  return blocks
    .map((b: { at?: string; exit?: number; stdout?: string; stderr?: string }) =>
      [`== ${s.id}: ${b.at} (exit ${b.exit})`, b.stdout, b.stderr].filter(Boolean).join('\n'),
    )
    .join('\n');
}
