// Redaction works on values, then each format escapes: a corpus of secret shapes, wrapped in quotes, backslashes,
// newlines and unicode, goes through every reporter; each output must still parse, round-trip to the redacted
// values, and carry no secret. (Each secret family, one string at a time: redact-rules.test.ts.) The secret known by
// value is handed to each reporter in a Redactor, as a command hands its own.
import t from 'tap';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { Parser } from 'tap-parser';
import { parseTap } from '../helpers/tap.js';
import { toTap } from '../../harness/src/report/tap.js';
import { toJUnit } from '../../harness/src/report/junit.js';
import { toJson } from '../../harness/src/report/json.js';
import { stepStatusLine, solveLine, toText } from '../../harness/src/report/text.js';
import { Redactor } from '../../harness/src/report/redact.js';
import type { RunResult, StepResult } from '../../harness/src/report/model.js';

const xsd = fileURLToPath(new URL('../fixtures/junit.xsd', import.meta.url));
const b64 = (s: string) => Buffer.from(s).toString('base64');

// Each secret is made of marker words: none of them may survive in any output, whatever the escaping.
const KNOWN = 'KNOWNone"KNOWNtwo\\KNOWNthree';
const redactor = new Redactor().add(KNOWN);
const SECRETS: Array<[string, string[]]> = [
  ['Authorization: Bearer SECRETbearer42.x-y_z', ['SECRETbearer42']],
  ['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJTRUNSRVRqd3QifQ.c2lnbmF0dXJlU0VDUkVU', ['eyJzdWIiOiJTRUNSRVRqd3QifQ']],
  [
    '-----BEGIN RSA PRIVATE KEY-----\nSECRETpemLINEone\nSECRETpemLINEtwo\n-----END RSA PRIVATE KEY-----',
    ['SECRETpemLINE'],
  ],
  ['git clone https://ana:SECRETurlPass"1\\@git.example.com/lab.git', ['SECRETurlPass']],
  [`Authorization: Basic ${b64('ana:SECRETbasic')}`, [b64('ana:SECRETbasic')]],
  [`curl -H 'Authorization:Basic ${b64('bo:SECRETbasic2')}'`, [b64('bo:SECRETbasic2')]],
  ['FOO_KEY=SECRETfoo\\"SECRETfoo2', ['SECRETfoo']],
  ['export X_SECRET="SECRETx\\"SECRETx2\\\\"', ['SECRETx']],
  ["DB_PASSWORD='SECRETdb\\SECRETdb2' next", ['SECRETdb']],
  [`GH=ghp_SECRETgh${'a'.repeat(30)} and github_pat_SECRETpat_${'B'.repeat(40)}`, ['SECRETgh', 'SECRETpat']],
  [
    '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"SECRETexec\\"SECRETexec2"}}',
    ['SECRETexec'],
  ],
  ['{"password": "SECRETjson\\"},{\\"x\\":\\"SECRETjson2"}', ['SECRETjson']],
  ['client-key-data: LS0tLS1CRUdJTiBSU0EgU0VDUkVU', ['LS0tLS1CRUdJTiBSU0EgU0VDUkVU']],
  [`kubeconfig secret: ${KNOWN}`, ['KNOWNone', 'KNOWNtwo', 'KNOWNthree']],
];
const WRAPS: Array<(s: string) => string> = [
  (s) => s,
  (s) => `"${s}"`,
  (s) => `\\"${s}\\`,
  (s) => `line one\n${s}\r\nline # three`,
  (s) => `ünïcode ✓ 😀 ${s} — ✗ \u2028 </x> ]]> &amp;`,
];
const corpus = SECRETS.flatMap(([text, markers]) => WRAPS.map((w) => ({ text: w(text), markers })));
const markers = [...new Set(SECRETS.flatMap(([, m]) => m))];

function failing(text: string, i: number): StepResult {
  const blocks = [{ at: '01.md:3', exit: 1, stdout: text, stderr: text }];
  return {
    id: `f${i}`,
    title: `step ${i}`,
    module: 'm',
    status: 'fail',
    reason: text,
    expected: text,
    actual: text,
    hint: text,
    attempts: 1,
    durationMs: 1,
    evidence: { blocks, [text]: text },
  };
}
const skipped = (text: string, i: number): StepResult => ({
  id: `s${i}`,
  title: `skip ${i}`,
  module: 'm',
  status: 'skip',
  reason: text,
  attempts: 1,
  durationMs: 1,
});

const result: RunResult = {
  lab: 'corpus',
  runId: 'r1',
  namespace: 'podlab-corpus-r1',
  mode: 'run',
  sandbox: 'gvisor',
  startedAt: '2026-11-25T01:00:00.000Z',
  durationMs: 10,
  retries: [],
  ok: false,
  steps: corpus.flatMap(({ text }, i) => [failing(text, i), skipped(text, i)]),
  teardown: { id: 'teardown', title: 'teardown', status: 'pass', attempts: 1, durationMs: 1 },
};

const leaks = (out: string) => markers.filter((m) => out.includes(m));

t.test(`${corpus.length} hostile strings: JSON parses back to the redacted values`, async (t) => {
  const out = toJson(result, redactor);
  const parsed = JSON.parse(out) as RunResult;
  corpus.forEach(({ text }, i) => {
    const s = parsed.steps[2 * i]!;
    t.equal(s.actual, redactor.redact(text), `actual of #${i}`);
    t.equal(parsed.steps[2 * i + 1]!.reason, redactor.redact(text), `skip reason of #${i}`);
    t.same(
      Object.keys(s.evidence!),
      ['blocks', redactor.redact(text)],
      `a key carrying a secret is redacted too (#${i})`,
    );
  });
  t.same(leaks(out), []);
});

t.test('TAP: both parsers accept it, the YAML blocks parse back to the redacted values', async (t) => {
  const out = toTap(result, redactor);
  const final = await parseTap(out);
  t.equal(final.count, 2, 'one point for the module, one for the teardown');
  t.equal(final.fail, 1);
  t.same(
    final.failures.filter((f) => f.tapError),
    [],
    'no TAP errors',
  );
  const { default: tapOut } = await import('tap-out');
  const o = await new Promise<{ asserts: unknown[]; errors: unknown[] }>((resolve, reject) =>
    tapOut((err: unknown, r: never) => (err ? reject(err) : resolve(r))).end(out),
  );
  t.same(o.errors, []);
  t.equal(o.asserts.length, 2, 'tap-out: the same two top-level points');
  const inner: Array<{ ok: boolean; skip: string | boolean }> = [];
  const p = new Parser();
  p.on('child', (c: Parser) => c.on('assert', (a: { ok: boolean; skip: string | boolean }) => inner.push(a)));
  await new Promise((resolve) => p.on('complete', resolve).end(out));
  t.equal(inner.length, 2 * corpus.length + 1, 'every step is one point of its subtest');
  t.equal(inner.filter((a) => a.skip).length, corpus.length, 'every skipped step is read as a SKIP');
  const diags = [...out.matchAll(/\n {6}---\n([\s\S]*?)\n {6}\.\.\.\n/g)].map(
    (m) => parseYaml(m[1]!.replace(/^ {6}/gm, '')) as { actual: string; message: string },
  );
  t.equal(diags.length, corpus.length, 'one YAML block per failing step');
  diags.forEach((d, i) => t.equal(d.actual, redactor.redact(corpus[i]!.text), `YAML round trip #${i}`));
  const skips = out.split('\n').filter((l) => /^ {4}ok \d+ - s\d+ /.test(l));
  t.equal(skips.length, corpus.length, 'every SKIP stays on its one line');
  t.ok(
    skips.every((l) => / # SKIP /.test(l)),
    'each with its directive',
  );
  t.same(leaks(out), []);
});

t.test('JUnit: valid against the schema, no secret', async (t) => {
  const out = toJUnit(result, redactor);
  const file = `${t.testdir()}/junit.xml`;
  writeFileSync(file, out);
  const r = await execa('xmllint', ['--noout', '--schema', xsd, file], { reject: false });
  t.equal(r.exitCode, 0, r.stderr);
  const message = await execa('xmllint', ['--xpath', 'string(//testcase[3]/failure/@message)', file]);
  t.equal(
    message.stdout,
    redactor.redact(corpus[1]!.text).replace(/\r\n?/g, '\n'),
    'an attribute parses back to the redacted reason (XML normalises line ends)',
  );
  t.same(leaks(out), []);
});

t.test('text, progress and solve lines carry no secret', async (t) => {
  const out = [
    toText(result, redactor),
    ...result.steps.map((s) => stepStatusLine(s, redactor)),
    ...result.steps.map((s) => solveLine(s, redactor)),
  ].join('\n');
  t.same(leaks(out), []);
  t.match(out, /\[redacted/);
});
