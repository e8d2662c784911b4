// The scoreboard server without a cluster: where it binds, the token and the Host check, the connection cap, and
// a slow event-stream client being dropped.
import t from 'tap';
import { parseListen, serveScoreboard } from '../../harness/src/grade/serve.js';
import { Redactor } from '../../harness/src/report/redact.js';
import { UsageError } from '../../harness/src/errors.js';
import { get, matrix, stream, until } from '../helpers/board.js';

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
  const board = await serveScoreboard(':0', { redactor: new Redactor(), log: (l) => lines.push(l) });
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
  const board = await serveScoreboard('0.0.0.0:0', { redactor: new Redactor(), log: (l) => lines.push(l) });
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
  const board = await serveScoreboard('127.0.0.1:0', { redactor: new Redactor(), maxConnections: 2, log: () => {} });
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
  const board = await serveScoreboard('127.0.0.1:0', { redactor: new Redactor(), maxBuffered: cap, log: () => {} });
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
