// The hostile corpus, what reaches the instructor's terminal (issue 23, class 4): file, context and attendee
// names and kubelet messages with ESC, BEL, CR, newlines, C1 controls and bidi overrides. Each output path for
// people (the text reporters, TAP, lint's diagnostics, the grade table, errors) shows them as escapes, so no name
// can move the cursor, retitle the window or forge a line. Through the CLI where a name reaches it from outside.
/* eslint-disable no-control-regex -- the test looks for the control characters that must not get through */
import t from 'tap';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { toTable, type GradeMatrix } from '../../harness/src/grade/matrix.js';
import { formatDiagnostic } from '../../harness/src/lint/lint.js';
import { LiveSteps } from '../../harness/src/report/live.js';
import { RunTap } from '../../harness/src/report/tap.js';
import { Redactor } from '../../harness/src/report/redact.js';
import { stepStatusLine, solveLine, toText } from '../../harness/src/report/text.js';
import type { RunResult, StepResult } from '../../harness/src/report/model.js';
import { visible, visibleLines } from '../../harness/src/terminal.js';
import { statusText } from '../../harness/src/room/status.js';
import { front, make, ok, podlab } from '../helpers/hostile.js';

/** What a terminal acts on: C0 but newline and tab, DEL, C1, and the characters that reorder or hide text. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;
const title = '\u001b]0;pwned\u0007'; // retitles the window and rings the bell
const clear = '\u001b[2J\u001b[H'; // clears the screen
const csi = '\u009b31m'; // C1 CSI: red, without ESC
const forged = 'x\n✓ every-step            done\r'; // a line of podlab's own output, and a carriage return
const bidi = 'evil\u202etxt.md'; // shows as evil dm.txt

t.test('visible: every control character becomes an escape; visibleLines keeps newlines and tabs', async (t) => {
  t.equal(visible(title), '\\e]0;pwned\\x07');
  t.equal(visible(`${csi}\u202e\u2028a\tb\nc\rd`), '\\x9b31m\\u{202e}\\u{2028}a\\tb\\nc\\rd');
  t.equal(visibleLines('a\tb\nc\rd\u001b'), 'a\tb\nc\\rd\\e');
  t.equal(visible('plain ✓ text, ünïcode'), 'plain ✓ text, ünïcode', 'ordinary text is as it was');
});

const hostile = [title, clear, csi, forged, bidi];
const step = (i: number): StepResult => ({
  id: `s${i}${hostile[i % hostile.length]}`,
  title: `T ${hostile[(i + 1) % hostile.length]}`,
  module: 'm',
  status: i % 2 ? 'fail' : 'pass',
  durationMs: 1,
  reason: `kubelet: Back-off pulling image ${hostile[(i + 2) % hostile.length]}`,
  hint: `hint ${hostile[(i + 3) % hostile.length]}`,
  actual: `out ${hostile[(i + 4) % hostile.length]}\nline 2`,
});

t.test('the text reporters, TAP and the live lines show no raw control character', async (t) => {
  const steps = hostile.map((_, i) => step(i));
  const run = { mode: 'check', lab: 'l', namespace: 'n', ok: false, steps, retries: [] } as unknown as RunResult;
  const redactor = new Redactor();
  let tap = '';
  const stream = new RunTap((s) => (tap += s), redactor);
  stream.start(run);
  for (const s of steps) stream.step(s);
  stream.end(run);
  let live = '';
  const progress = new LiveSteps(
    steps,
    (s: string) => (live += s),
    redactor,
    () => 0,
  );
  for (const s of steps) progress.done(s);
  progress.stop();
  const outputs = {
    text: toText(run, redactor),
    progress: steps.map((s) => stepStatusLine(s, redactor)).join('\n'),
    solve: steps.map((s) => solveLine(s, redactor)).join('\n'),
    tap,
    live: live.replace(/\r?\u001b\[\d*[AK]/g, ''), // its own cursor moves, not the names'
  };
  for (const [name, out] of Object.entries(outputs)) {
    t.notMatch(out, RAW, `${name}: no raw control character`);
    t.notMatch(out, /^✓ every-step/m, `${name}: no forged line`);
  }
  t.match(outputs.text, /\\e\]0;pwned\\x07/, 'the title sequence is shown, escaped');
});

t.test('the grade table: attendee names and kubelet messages as escapes', async (t) => {
  const m = {
    lab: 'l',
    steps: [{ id: `a${clear}`, module: 'm', weight: 1 }],
    attendees: [
      ...hostile.map((h) => ({ attendee: h, namespace: 'x', reachable: true, cells: {}, score: 0, maxScore: 1 })),
      {
        attendee: 'b',
        namespace: 'y',
        reachable: false,
        error: `kubelet said ${title}`,
        cells: {},
        score: 0,
        maxScore: 0,
      },
    ],
    generatedAt: '2026-12-05T10:00:00Z',
  } as unknown as GradeMatrix;
  const table = toTable(m);
  t.notMatch(table, RAW, 'no raw control character');
  t.notMatch(table, /^✓ every-step/m, 'no forged line');
  t.equal(
    table.split('\n').length,
    toTable({ ...m, attendees: m.attendees.map((a) => ({ ...a, attendee: 'a' })) }).split('\n').length,
    'one line per attendee',
  );
});

t.test('lint diagnostics and errors name hostile files and contexts with escapes (CLI)', async (t) => {
  const base = t.testdir({});
  const dir = join(base, 'p');
  mkdirSync(dir);
  const file = `labs/lab/01-${title}.md`;
  make(dir, { [file]: `${front()}\n## A {#a}\n\n## A {#a}\n`, 'scenarios/s.ts': ok });
  const lint = await podlab(['lint', 'labs/lab'], dir);
  t.equal(lint.exitCode, 2, 'the duplicate step is an error');
  t.match(lint.stderr, /^labs\/lab\/01-\\e\]0;pwned\\x07\.md:\d+:\d+ error/m, 'the file is named with escapes');
  const missing = await podlab(['lint', `labs/${clear}`], dir);
  t.equal(missing.exitCode, 2);
  t.match(missing.stderr, /\\e\[2J\\e\[H/, 'a missing lab is named with escapes');
  const good = join(base, 'good');
  make(good, { 'labs/lab/01-m.md': `${front()}\n## A {#a}\n`, 'scenarios/s.ts': ok });
  const context = await podlab(['check', 'labs/lab', '-n', 'x', '--context', `${title}ctx\r${csi}`], good, {
    KUBECONFIG: '/var/lib/podlab/cluster/admin.kubeconfig',
  });
  t.match(context.stderr, /\\e\]0;pwned\\x07ctx\\r\\x9b31m/, 'an unknown context is named with escapes');
  for (const r of [lint, missing, context]) {
    t.notMatch(`${r.stdout}${r.stderr}`, RAW, 'no raw control character');
    t.notMatch(r.stderr, /^✓ every-step/m, 'no forged line');
    t.notMatch(r.stderr, /\n {4}at /, 'no stack trace');
  }
  t.same(
    formatDiagnostic({ pos: { file: bidi, line: 1, col: 1 }, severity: 'error', message: csi }),
    'evil\\u{202e}txt.md:1:1 error: \\x9b31m',
  );
});

t.test("room status: a kubelet reason cannot forge a line or move the instructor's cursor", async (t) => {
  const reason = '0/1 nodes are available\npodlab room: all attendees ready\u001b[2J';
  const out = statusText('ws', [
    {
      attendee: 'ana',
      namespace: 'ws-ana',
      terminating: false,
      pods: { running: 0, pending: 1, other: 0 },
      quota: [],
      pending: [{ pod: 'p', reason }],
    },
  ]);
  t.notOk(
    out.some((l) => /[\u0000-\u001f]/.test(l)),
    'no raw control character',
  );
  t.ok(out.includes('  ws-ana/p: 0/1 nodes are available\\npodlab room: all attendees ready\\e[2J'), out.join('|'));
});
