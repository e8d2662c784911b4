import t from 'tap';
import { parseTap } from '../helpers/tap.js';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
import { toTap } from '../../harness/src/report/tap.js';
import { toJUnit } from '../../harness/src/report/junit.js';
import { toJson } from '../../harness/src/report/json.js';
import { Redactor } from '../../harness/src/report/redact.js';
import type { RunResult } from '../../harness/src/report/model.js';

/** no secret known by value: the patterns alone */
const patterns = new Redactor();
const xsd = fileURLToPath(new URL('../fixtures/junit.xsd', import.meta.url));
const token = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJlc2lnbmF0dXJl';

const result: RunResult = {
  lab: 'demo',
  runId: 'r1',
  namespace: 'podlab-demo-r1',
  mode: 'run',
  sandbox: 'gvisor',
  startedAt: '2026-11-25T01:00:00.000Z',
  durationMs: 4200,
  retries: [],
  ok: false,
  steps: [
    { id: 'deploy', title: 'Deploy <pods> & wait', module: 'one', status: 'pass', attempts: 1, durationMs: 1000 },
    {
      id: 'kernel',
      title: 'Kernel # differs',
      module: 'one',
      status: 'fail',
      reason: 'kernel matches the node',
      expected: 'not 6.1',
      actual: '6.1',
      hint: 'use runtimeClassName',
      attempts: 3,
      durationMs: 2000,
      evidence: { header: `Authorization: Bearer ${token}` },
    },
    {
      id: 'policy',
      title: 'Policy',
      module: 'two',
      status: 'skip',
      reason: 'cluster does not enforce NetworkPolicy',
      attempts: 1,
      durationMs: 5,
    },
  ],
  teardown: {
    id: 'teardown',
    title: 'teardown and leak audit',
    status: 'pass',
    attempts: 1,
    durationMs: 900,
  },
};

t.test('TAP 14 that tap-parser accepts, with YAML diagnostics on failures', async (t) => {
  const text = toTap(result, patterns);
  t.match(text, /^TAP version 14\n/);
  const final = await parseTap(text);
  t.equal(final.plan.end, 3, 'one top-level point per module plus teardown');
  t.equal(final.pass, 2);
  t.equal(final.fail, 1);
  t.same(
    final.failures.map((f) => f.name),
    ['one'],
  );
  const kernelDiag = /not ok 2 - kernel[^\n]*\n\s+---\n([\s\S]*?)\n\s+\.\.\./.exec(text)?.[1] ?? '';
  for (const key of [
    'expected: "not 6.1"',
    'actual: "6.1"',
    'attempts: 3',
    'duration_ms: 2000',
    'hint: "use runtimeClassName"',
  ]) {
    t.match(kernelDiag, key);
  }
  t.match(text, /ok 1 - policy - Policy # SKIP cluster does not enforce NetworkPolicy/);
  t.notMatch(text, token, 'the bearer token is redacted');
});

t.test('JUnit XML validates against the JUnit schema', async (t) => {
  const file = `${t.testdir()}/junit.xml`;
  writeFileSync(file, toJUnit(result, patterns));
  const r = await execa('xmllint', ['--noout', '--schema', xsd, file], { reject: false });
  t.equal(r.exitCode, 0, r.stderr);
  const xml = toJUnit(result, patterns);
  t.match(xml, /<failure message="kernel matches the node" type="CheckFailed">/);
  t.match(xml, /<skipped message="cluster does not enforce NetworkPolicy"\/>/);
  t.match(xml, /Deploy &lt;pods&gt; &amp; wait/);
  t.notMatch(xml, token);
});

t.test('a broken JUnit document is rejected by the same validation', async (t) => {
  const file = `${t.testdir()}/bad.xml`;
  writeFileSync(file, toJUnit(result, patterns).replace(/ tests="\d+"/, ''));
  const r = await execa('xmllint', ['--noout', '--schema', xsd, file], { reject: false });
  t.not(r.exitCode, 0, 'a testsuite without tests= fails validation');
});

t.test('JSON carries the summary and no secrets', async (t) => {
  const parsed = JSON.parse(toJson(result, patterns)) as {
    summary: unknown;
    steps: Array<{ evidence?: { header: string } }>;
  };
  t.same(parsed.summary, { pass: 2, fail: 1, skip: 1 });
  t.equal(parsed.steps[1]?.evidence?.header, 'Authorization: Bearer [redacted]');
});

t.test('redaction covers keys, tokens and kubeconfig fields', async (t) => {
  t.equal(patterns.redact('client-key-data: LS0tLS1CRUdJTiBSU0E='), 'client-key-data: [redacted]');
  t.equal(patterns.redact('"token":"abc.def"'), '"token":"[redacted]"');
  t.equal(
    patterns.redact('-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----'),
    '[redacted private key]',
  );
  t.equal(patterns.redact(`x ${token} y`), 'x [redacted jwt] y');
  t.equal(patterns.redact('pod sandboxed is Running'), 'pod sandboxed is Running', 'ordinary text is untouched');
});

t.test(
  'a second, independent TAP consumer (tap-out) reads the same TAP: one point per module, the plan, no errors',
  async (t) => {
    const { default: tapOut } = await import('tap-out');
    const out = await new Promise<{
      asserts: Array<{ number: number; ok: boolean; name: string }>;
      plans: Array<{ raw: string }>;
      errors: unknown[];
    }>((resolve, reject) => {
      tapOut((err: unknown, o: never) => (err ? reject(err) : resolve(o))).end(toTap(result, patterns));
    });
    t.same(out.errors, []);
    t.same(
      out.asserts.map((a) => [a.number, a.ok, a.name.replace(/ # SKIP.*/, '')]),
      [
        [1, false, 'one'],
        [2, true, 'two'],
        [3, true, 'teardown'],
      ],
    );
    t.same(
      out.plans.map((p) => p.raw),
      ['1..3'],
    );
  },
);

t.test('TAP is written as steps end: each point is out before the next step, the plan last', async (t) => {
  const { RunTap } = await import('../../harness/src/report/tap.js');
  let written = '';
  const tap = new RunTap((text) => {
    written += text;
  }, patterns);
  tap.start(result);
  tap.step(result.steps[0]!);
  t.match(written, /# Subtest: one\n {4}ok 1 - deploy - Deploy <pods> & wait\n$/, 'the first step is out at once');
  t.notMatch(written, /1\.\.\d/, 'no plan yet');
  for (const s of result.steps.slice(1)) tap.step(s);
  tap.end(result);
  t.equal(written, toTap(result, patterns), 'streamed, it is the same TAP as written at once');
});
