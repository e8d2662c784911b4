// The hostile corpus for podlab's pages (issue 23, class 4): the headers that keep the board out of other sites'
// frames and scripts, and connections without a token that must not starve the instructor's.
import t from 'tap';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { serveScoreboard, type Scoreboard } from '../../harness/src/grade/serve.js';
import { Redactor } from '../../harness/src/report/redact.js';
import { parseListen } from '../../harness/src/serve/listen.js';

function get(board: Scoreboard, path: string): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: board.address.port, path, headers: { host: `127.0.0.1:${board.address.port}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error('no answer in 5 s')));
    req.on('error', reject).end();
  });
}

const opened = (board: Scoreboard, n: number) =>
  Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Socket>((resolve) => {
          const s = connect(board.address.port, '127.0.0.1', () => resolve(s));
          s.on('error', () => {});
        }),
    ),
  );

// A wide bind (with a token) on loopback: every request must carry the token.
const wide = () => ({ ...parseListen('127.0.0.1:0'), wide: true });

t.test(
  'every reply carries CSP, frame-ancestors, nosniff and no-referrer; the page script runs by its hash',
  async (t) => {
    const board = await serveScoreboard(wide(), { redactor: new Redactor(), log: () => {} });
    t.teardown(() => board.close());
    const token = new URL(board.url).searchParams.get('token');
    for (const path of [`/?token=${token}`, '/', '/nowhere']) {
      const { headers } = await get(board, path);
      const csp = String(headers['content-security-policy']);
      t.match(csp, /frame-ancestors 'none'/, `${path}: no frames`);
      t.match(csp, /default-src 'none'/);
      t.notMatch(csp, /unsafe-inline'[^;]*script|script-src[^;]*unsafe/, 'no inline script but by hash');
      t.equal(headers['x-content-type-options'], 'nosniff');
      t.equal(headers['referrer-policy'], 'no-referrer', 'the address, with its token, is never a Referer');
      t.equal(headers['x-frame-options'], 'DENY');
    }
    t.match(String((await get(board, `/?token=${token}`)).headers['content-security-policy']), /script-src 'sha256-/);
  },
);

t.test(
  '70 connections that send nothing: the instructor is still served, and they are closed by a deadline',
  async (t) => {
    const board = await serveScoreboard(wide(), {
      redactor: new Redactor(),
      maxConnections: 64,
      pendingMs: 1500,
      log: () => {},
    });
    t.teardown(() => board.close());
    const token = new URL(board.url).searchParams.get('token');
    const silent = await opened(board, 70);
    const closed = silent.map((s) => new Promise((r) => s.once('close', r)));
    const started = Date.now();
    const r = await get(board, `/index.html?token=${token}`);
    t.equal(r.status, 200, `the instructor's request is served (${Date.now() - started} ms)`);
    const refused = await get(board, '/index.html');
    t.equal(refused.status, 401, 'one without the token is refused');
    await Promise.all(closed);
    t.ok(Date.now() - started < 5000, `the silent connections were closed within ${Date.now() - started} ms`);
  },
);
