// JUnit XML (the Ant/Jenkins dialect): one testsuite per module, one testcase per step.
import type { RunResult, StepResult } from './model.js';
import { redact } from './redact.js';
import { stringify } from 'yaml';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
  // eslint-disable-next-line no-control-regex
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
const secs = (ms: number) => (ms / 1000).toFixed(3);

export function toJUnit(r: RunResult): string {
  const groups = new Map<string, StepResult[]>();
  for (const s of [...r.steps, ...(r.teardown ? [r.teardown] : [])]) groups.set(s.module, [...(groups.get(s.module) ?? []), s]);
  const suites = [...groups.entries()].map(([module, steps], i) => {
    const cases = steps.map((s) => {
      const head = `    <testcase name="${esc(`${s.id} - ${s.title}`)}" classname="${esc(`${r.lab}.${module}`)}" time="${secs(s.durationMs)}"`;
      if (s.status === 'pass') return `${head}/>`;
      if (s.status === 'skip') return `${head}>\n      <skipped message="${esc(s.reason ?? '')}"/>\n    </testcase>`;
      const body = redact(stringify({ expected: s.expected ?? null, actual: s.actual ?? null, hint: s.hint ?? null, attempts: s.attempts, evidence: s.evidence ?? {} }, { lineWidth: 0 }));
      return `${head}>\n      <failure message="${esc(redact(s.reason ?? 'check failed'))}" type="CheckFailed">${esc(body)}</failure>\n    </testcase>`;
    });
    const count = (st: string) => steps.filter((s) => s.status === st).length;
    const out = esc(redact(steps.map(textOutput).filter(Boolean).join('\n')));
    return `  <testsuite name="${esc(`${r.lab}/${module}`)}" id="${i}" package="${esc(r.lab)}" hostname="podlab" timestamp="${r.startedAt.slice(0, 19)}" tests="${steps.length}" failures="${count('fail')}" errors="0" skipped="${count('skip')}" time="${secs(steps.reduce((a, s) => a + s.durationMs, 0))}">\n    <properties>\n      <property name="namespace" value="${esc(r.namespace)}"/>\n      <property name="sandbox" value="${esc(r.sandbox ?? 'none')}"/>\n    </properties>\n${cases.join('\n')}\n    ${out ? `<system-out>${out}</system-out>` : '<system-out/>'}\n    <system-err/>\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${suites.join('\n')}\n</testsuites>\n`;
}

/** What a step's text printed, block by block: a JUnit testcase has no output of its own, so its suite carries it. */
function textOutput(s: StepResult): string {
  const blocks = s.evidence?.blocks;
  if (!Array.isArray(blocks) || !blocks.length) return '';
  return blocks.map((b: { at?: string; exit?: number; stdout?: string; stderr?: string }) =>
    [`== ${s.id}: ${b.at} (exit ${b.exit})`, b.stdout, b.stderr].filter(Boolean).join('\n')).join('\n');
}
