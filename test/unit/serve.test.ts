// The scoreboard server without a cluster: where it binds, the token and the Host check, the connection cap, a
// slow event-stream client being dropped, hostile strings in every export, and `--serve` checked before grading.
import t from 'tap';
import { execa } from 'execa';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseListen, serveScoreboard, type Scoreboard } from '../../harness/src/grade/serve.js';
import type { GradeMatrix } from '../../harness/src/grade/matrix.js';
import { redact } from '../../harness/src/report/redact.js';
import { UsageError } from '../../harness/src/errors.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const HOSTILE = [
  'password: "SECRETpa\\"SECRETss\\\\word" and more',
  'Authorization: Bearer SECRETabc.def\nline two "quoted" \\ back',
  'ünïcode ✓ 😀 \u2028 https://ana:SECRETurl@git.example.com </x> ]]> , ; "',
  '{"kind":"ExecCredential","status":{"token":"SECRETexec\\"x"}}',
];

function matrix(reasons: string[], n = 2): GradeMatrix {
  const steps = reasons.map((_, i) => ({ id: `s${i}`, module: 'm', weight: 1 }));
  const attendees = Array.from({ length: n }, (_, a) => ({
    attendee: `ana-${a}`,
    namespace: `ns-${a}`,
    reachable: true,
    cells: Object.fromEntries(reasons.map((r, i) => [`s${i}`, { status: 'todo' as const, reason: r }])),
    score: 0,
    maxScore: reasons.length,
  }));
  return { lab: 'demo', steps, attendees, generatedAt: '2026-11-25T01:00:00.000Z' };
}

interface Reply {
  status: number;
  body: string;
}

/** One GET to the board's port with these headers (Host included, so that it can lie). */
function get(board: Scoreboard, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent: false,
        host: '127.0.0.1',
        port: board.address.port,
        path,
        headers: { host: `127.0.0.1:${board.address.port}`, ...headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        if (res.headers['content-type'] === 'text/event-stream') {
          res.once('data', (d: string) => {
            body += d;
            req.destroy();
            resolve({ status: res.statusCode!, body });
          });
          return;
        }
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** An event-stream client on a raw socket: `frames` collects each `data:` line as it arrives. */
function stream(board: Scoreboard, path = '/events'): { socket: Socket; frames: string[]; closed: Promise<void> } {
  const socket = connect(board.address.port, '127.0.0.1');
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  const frames: string[] = [];
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => {
    buffered += d;
    for (let i; (i = buffered.indexOf('\n\n')) >= 0; buffered = buffered.slice(i + 2)) {
      const data = /^data: ([^\r\n]*)/m.exec(buffered.slice(0, i)); // SSE lines end at CR or LF only
      if (data) frames.push(data[1]!);
    }
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return { socket, frames, closed };
}

const until = async (what: string, ok: () => boolean, ms = 10_000) => {
  for (const end = Date.now() + ms; !ok(); await new Promise((r) => setTimeout(r, 20)))
    if (Date.now() > end) throw new Error(`timed out waiting: ${what}`);
};

t.test('--serve: what it accepts, and 127.0.0.1 unless a host is given', async (t) => {
  t.has(parseListen(':8080'), { host: '127.0.0.1', port: 8080, wide: false });
  t.has(parseListen('8080'), { host: '127.0.0.1', port: 8080, wide: false });
  t.has(parseListen('localhost:80'), { host: 'localhost', port: 80, wide: false });
  t.has(parseListen('0.0.0.0:8080'), { host: '0.0.0.0', port: 8080, wide: true });
  t.has(parseListen('[::]:8080'), { host: '::', port: 8080, wide: true });
  t.has(parseListen('grader.example:0'), { host: 'grader.example', port: 0, wide: true });
  for (const bad of ['nonsense', '', ':99999', 'a b:80', 'http://x:80', ':-1', 'host:']) {
    let err: unknown;
    try {
      parseListen(bad);
    } catch (e) {
      err = e;
    }
    t.ok(err instanceof UsageError, `${JSON.stringify(bad)} is a usage error (exit 2)`);
  }

  const lines: string[] = [];
  const board = await serveScoreboard(':0', { log: (l) => lines.push(l) });
  t.teardown(() => board.close());
  t.equal(board.address.address, '127.0.0.1', 'bound to loopback');
  t.match(board.url, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'no token on loopback');
  t.equal((await get(board, '/')).status, 200);
  t.equal(
    (await get(board, '/', { host: 'evil.example' })).status,
    421,
    'a foreign Host is refused even on loopback (DNS rebinding)',
  );
  t.equal((await get(board, '/', { host: `localhost:${board.address.port}` })).status, 200);
  t.equal((await get(board, '/matrix.json')).status, 503, 'nothing graded yet');
});

t.test('a wide bind needs the token, printed once, and a Host of this machine', async (t) => {
  const lines: string[] = [];
  const board = await serveScoreboard('0.0.0.0:0', { log: (l) => lines.push(l) });
  t.teardown(() => board.close());
  const token = new URL(board.url).searchParams.get('token') ?? '';
  t.ok(token.length >= 32, 'a generated token');
  board.publish(matrix(['x']));
  board.publish(matrix(['y']));
  t.equal(lines.join('\n').split(token).length - 1, 1, 'the token is printed once');
  t.equal((await get(board, '/')).status, 401, 'no token');
  t.equal((await get(board, '/events')).status, 401, 'no token for the event stream');
  t.equal((await get(board, '/matrix.json?token=wrong')).status, 401, 'a wrong token');
  t.equal(
    (await get(board, `/matrix.json?token=${token}`, { host: `evil.example:${board.address.port}` })).status,
    421,
    'a foreign Host, even with the token',
  );
  const page = await get(board, `/?token=${token}`);
  t.equal(page.status, 200, 'the page with the token');
  t.notMatch(page.body, token, 'the page does not carry the token; it reads it from its own address');
  t.match(page.body, /new EventSource\(withToken\("events"\)\)/, 'and passes it on to the event stream');
  t.equal((await get(board, '/matrix.json', { authorization: `Bearer ${token}` })).status, 200, 'or as a bearer token');
  const events = await get(board, `/events?token=${token}`);
  t.equal(events.status, 200);
  t.match(events.body, /^retry: 2000\n\nevent: matrix\ndata: /, 'the stream starts with the latest matrix');
});

t.test('connections over the cap get 503; one freed lets the next in', async (t) => {
  const board = await serveScoreboard('127.0.0.1:0', { maxConnections: 2, log: () => {} });
  t.teardown(() => board.close());
  board.publish(matrix(['x']));
  const a = stream(board);
  const b = stream(board);
  await until('two streams', () => board.clients() === 2);
  t.equal((await get(board, '/matrix.json')).status, 503, 'a third connection is refused');
  a.socket.destroy();
  await until('one stream', () => board.clients() === 1);
  let status = 0;
  for (let i = 0; i < 50 && status !== 200; i++) status = (await get(board, '/matrix.json')).status; // the server sees the close a moment later
  t.equal(status, 200, 'a freed connection lets the next one in');
  b.socket.destroy();
});

t.test('a client that stops reading is dropped once its unsent bytes pass the cap; a reading one is not', async (t) => {
  const cap = 256 * 1024;
  const board = await serveScoreboard('127.0.0.1:0', { maxBuffered: cap, log: () => {} });
  t.teardown(() => board.close());
  const m = matrix(
    ['x'.repeat(200)].concat(Array.from({ length: 40 }, (_, i) => `reason ${i} ${'y'.repeat(100)}`)),
    10,
  ); // ~50 KB a frame
  board.publish(m);
  const slow = stream(board);
  const fast = stream(board);
  await until('both connected', () => board.clients() === 2 && fast.frames.length > 0 && slow.frames.length > 0);
  slow.socket.pause(); // stops reading: the kernel's buffers fill, then the server's
  let published = 0;
  while (board.clients() === 2 && published < 2000) {
    board.publish({ ...m, generatedAt: new Date(published).toISOString() });
    published++;
    await new Promise((r) => setImmediate(r));
  }
  t.equal(board.clients(), 1, `the slow client was dropped after ${published} frames`);
  await until('the reading client has every frame', () => fast.frames.length === published + 1);
  t.equal(
    JSON.parse(fast.frames.at(-1)!).generatedAt,
    new Date(published - 1).toISOString(),
    'the reading client is still served',
  );
  slow.socket.resume();
  await slow.closed;
  t.ok(
    slow.frames.length < published + 1,
    `the dropped client got ${slow.frames.length} of ${published + 1} frames, then the connection closed`,
  );
  fast.socket.destroy();
});

t.test('hostile strings: every export parses, holds the redacted values and no secret', async (t) => {
  const board = await serveScoreboard('127.0.0.1:0', { log: () => {} });
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
      HOSTILE.map(redact),
      `${name}: the redacted values`,
    );
    t.equal(got.attendees[2]!.error, redact(HOSTILE[1]!));
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
  const first = await serveScoreboard('127.0.0.1:0', { log: () => {} });
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

/** RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  const re = /("(?:[^"]|"")*"|[^,\r\n]*)(,|\r\n|$)/gy;
  let row: string[] = [];
  for (let m; re.lastIndex < text.length && (m = re.exec(text));) {
    row.push(m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/""/g, '"') : m[1]!);
    if (m[2] !== ',') {
      rows.push(row);
      row = [];
    }
  }
  return rows;
}

t.test('the page opened with the token draws the matrix, live, and its export links carry the token', async (t) => {
  const { chromium } = await import('playwright-core');
  const board = await serveScoreboard('0.0.0.0:0', { log: () => {} });
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
    redact(HOSTILE[3]!),
    'a hostile reason arrives intact, redacted',
  );
  const json = await page.locator('a', { hasText: 'JSON' }).getAttribute('href');
  t.equal(json, `matrix.json?token=${token}`);
  const reply = await page.request.get(new URL(json!, page.url()).href);
  t.equal(reply.status(), 200, 'the export link works');
});
