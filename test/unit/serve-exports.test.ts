// What the scoreboard serves, without a cluster: every export (SSE, JSON, JUnit, CSV) holding hostile strings
// redacted, the page drawing the matrix live, and a bad `--serve` refused before grading.
import t from 'tap';
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { serveScoreboard } from '../../harness/src/grade/serve.js';
import type { GradeMatrix } from '../../harness/src/grade/matrix.js';
import { Redactor } from '../../harness/src/report/redact.js';

/** the grade command's redactor, here with no secret known by value: the patterns alone */
const patterns = new Redactor();
import { HOSTILE, get, matrix, parseCsv, repo, stream, until } from '../helpers/board.js';

t.test('hostile strings: every export parses, holds the redacted values and no secret', async (t) => {
  const board = await serveScoreboard('127.0.0.1:0', { log: () => {}, redactor: patterns });
  t.teardown(() => board.close());
  const m = matrix(HOSTILE);
  m.attendees.push({
    attendee: 'bo"\\\n',
    namespace: 'x',
    reachable: false,
    error: HOSTILE[1]!,
    cells: {},
    score: 0,
    maxScore: 0,
  });
  board.publish(m);
  const sse = stream(board);
  await until('a frame', () => sse.frames.length > 0);
  sse.socket.destroy();
  for (const [name, text] of [
    ['SSE frame', sse.frames[0]!],
    ['matrix.json', (await get(board, '/matrix.json')).body],
  ] as const) {
    const got = JSON.parse(text) as GradeMatrix;
    t.same(
      HOSTILE.map((_, i) => got.attendees[0]!.cells[`s${i}`]!.reason),
      HOSTILE.map((h) => patterns.redact(h)),
      `${name}: the redacted values`,
    );
    t.equal(got.attendees[2]!.error, patterns.redact(HOSTILE[1]!));
    t.notMatch(text, /SECRET/, `${name}: no secret`);
  }
  const junit = (await get(board, '/junit.xml')).body;
  const file = `${t.testdir()}/grade.xml`;
  writeFileSync(file, junit);
  const v = await execa('xmllint', ['--noout', '--schema', `${repo}test/fixtures/junit.xsd`, file], { reject: false });
  t.equal(v.exitCode, 0, v.stderr);
  t.notMatch(junit, /SECRET/);
  const csv = parseCsv((await get(board, '/matrix.csv')).body);
  t.equal(csv.length, 4, 'header and three rows, whatever the names hold');
  t.equal(csv[3]![0], 'bo"\\\n', 'a quoted field round-trips');
});

t.test('podlab grade --serve garbage exits 2 before grading or connecting', async (t) => {
  const started = Date.now();
  const r = await execa(
    process.execPath,
    [`${repo}bin/podlab.js`, 'grade', 'pod-sandboxing', '--namespaces', 'x', '--serve', 'nonsense'],
    {
      reject: false,
      env: { KUBECONFIG: '/nonexistent/kubeconfig' },
      timeout: 30_000,
    },
  );
  t.equal(r.exitCode, 2, r.stderr);
  t.match(r.stderr, /--serve nonsense: expected \[host\]:port/);
  t.equal(r.stdout, '', 'nothing graded');
  t.ok(Date.now() - started < 10_000, `quickly (${Date.now() - started} ms)`);
});

t.test('a port in use exits 2 with the reason, before grading', async (t) => {
  const first = await serveScoreboard('127.0.0.1:0', { log: () => {}, redactor: patterns });
  t.teardown(() => first.close());
  const r = await execa(
    process.execPath,
    [
      `${repo}bin/podlab.js`,
      'grade',
      'pod-sandboxing',
      '--namespaces',
      'x',
      '--serve',
      `127.0.0.1:${first.address.port}`,
    ],
    {
      reject: false,
      env: { KUBECONFIG: '/nonexistent/kubeconfig' },
      timeout: 30_000,
    },
  );
  t.equal(r.exitCode, 2, r.stderr);
  t.match(r.stderr, /port \d+ is in use/);
  t.equal(r.stdout, '', 'nothing graded');
});

t.test('the page opened with the token draws the matrix, live, and its export links carry the token', async (t) => {
  const { chromium } = await import('playwright-core');
  const board = await serveScoreboard('0.0.0.0:0', { log: () => {}, redactor: patterns });
  t.teardown(() => board.close());
  board.publish(matrix(HOSTILE));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  const token = new URL(board.url).searchParams.get('token')!;
  await page.goto(`http://127.0.0.1:${board.address.port}/?token=${token}`);
  await page.locator('tr[data-attendee="ana-0"] td[data-step="s0"]').waitFor({ timeout: 20_000 });
  t.equal(await page.locator('#state').textContent(), 'live');
  t.equal(
    await page.locator('tr[data-attendee="ana-0"] td[data-step="s3"]').getAttribute('title'),
    patterns.redact(HOSTILE[3]!),
    'a hostile reason arrives intact, redacted',
  );
  const json = await page.locator('a', { hasText: 'JSON' }).getAttribute('href');
  t.equal(json, `matrix.json?token=${token}`);
  const reply = await page.request.get(new URL(json!, page.url()).href);
  t.equal(reply.status(), 200, 'the export link works');
});
