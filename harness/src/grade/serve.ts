// The scoreboard server: the page, the matrix as Server-Sent Events, and the same exports as the CLI.
// Loopback only unless told a host; a wider bind needs the token printed at start. Every request's Host must
// name this machine (no DNS rebinding), connections are capped, and an event stream that a client stops
// reading is dropped once its unsent bytes pass a cap, so a slow or hostile client cannot grow the grader's memory.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { redactValue } from '../report/redact.js';
import { toCsv, toJUnit, type GradeMatrix } from './matrix.js';
import { SCOREBOARD_HTML } from './scoreboard-page.js';
import { parseListen, type Listen } from './listen.js';
import { allowedHosts, bindError, digest, hostOf, refuse, showHost, tokenOf } from './http-guard.js';

export { parseListen, type Listen };

export interface ServeOptions {
  /** open connections at most; more get 503 (default 64) */
  maxConnections?: number;
  /** bytes an event stream may hold unsent before its client is dropped (default 1 MiB) */
  maxBuffered?: number;
  /** where the address (and the token, once) is printed (default stderr) */
  log?: (line: string) => void;
}

export interface Scoreboard {
  /** the address to open, with `?token=` when the bind is wider than loopback */
  url: string;
  address: AddressInfo;
  publish(m: GradeMatrix): void;
  /** event-stream clients connected now */
  clients(): number;
  close(): Promise<void>;
}

export async function serveScoreboard(spec: string | Listen, o: ServeOptions = {}): Promise<Scoreboard> {
  const listen = typeof spec === 'string' ? parseListen(spec) : spec;
  const board = new Board(listen, o);
  await board.listen();
  (o.log ?? ((line: string) => console.error(line)))(
    `podlab grade: scoreboard at ${board.url} (Ctrl-C to stop)` +
      (board.token
        ? '\npodlab grade: the token in this address is shown only once; whoever has the address can see the scoreboard'
        : ''),
  );
  return board;
}

class Board implements Scoreboard {
  readonly token: string | undefined;
  url = '';
  address = {} as AddressInfo;
  private readonly hosts: Set<string>;
  private readonly streams = new Set<ServerResponse>();
  private readonly server = createServer((req, res) => this.handle(req, res));
  // Comments keep proxies and the browser from closing an idle stream.
  private readonly keepAlive = setInterval(() => this.streams.forEach((c) => this.push(c, ': keep-alive\n\n')), 15_000);
  private latest: GradeMatrix | undefined;
  private frame = '';
  private open = 0;

  constructor(
    private readonly l: Listen,
    private readonly o: ServeOptions,
  ) {
    this.token = l.wide ? randomBytes(24).toString('base64url') : undefined;
    this.hosts = allowedHosts(l);
    this.server.on('connection', (s: Socket) => {
      this.open++;
      s.on('close', () => this.open--);
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (err: NodeJS.ErrnoException) => {
        clearInterval(this.keepAlive);
        reject(bindError(this.l, err));
      });
      this.server.listen(this.l.port, this.l.host, () => resolve());
    });
    this.address = this.server.address() as AddressInfo;
    this.url = `http://${showHost(this.l)}:${this.address.port}/${this.token ? `?token=${this.token}` : ''}`;
  }

  clients(): number {
    return this.streams.size;
  }

  publish(m: GradeMatrix): void {
    // Redacted as a value, then serialised: JSON.stringify escapes newlines, so one frame is one data line.
    this.latest = redactValue(m);
    // U+2028/U+2029 escaped too: valid JSON either way, but clients that split lines with JavaScript regexps break on them.
    this.frame = `event: matrix\ndata: ${JSON.stringify(this.latest)
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029')}\n\n`;
    for (const c of [...this.streams]) this.push(c, this.frame);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      clearInterval(this.keepAlive);
      for (const c of this.streams) c.end();
      this.server.close(() => resolve());
      this.server.closeAllConnections(); // an open browser tab must not hold the command up
    });
  }

  /** Writes to an event stream; a client that has stopped reading is dropped once too much waits for it. */
  private push(res: ServerResponse, text: string): void {
    res.write(text);
    if (res.writableLength > (this.o.maxBuffered ?? 1 << 20)) {
      this.streams.delete(res);
      res.destroy();
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.open > (this.o.maxConnections ?? 64))
      return refuse(res, 503, 'too many connections', { 'retry-after': '5', connection: 'close' });
    if (!this.hosts.has(hostOf(req.headers.host ?? '')))
      return refuse(res, 421, 'unknown Host: open the address podlab grade printed');
    const url = new URL(req.url ?? '/', 'http://x');
    if (this.token && !timingSafeEqual(digest(tokenOf(req, url)), digest(this.token))) {
      return refuse(res, 401, 'a token is needed: open the address podlab grade printed');
    }
    if (req.method !== 'GET') return refuse(res, 405, 'GET only');
    const reply = (type: string, body: string) =>
      void res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    const path = url.pathname;
    if (path === '/' || path === '/index.html') return reply('text/html; charset=utf-8', SCOREBOARD_HTML);
    if (path === '/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      this.streams.add(res);
      req.on('close', () => this.streams.delete(res));
      return this.push(res, `retry: 2000\n\n${this.frame}`);
    }
    if (!this.latest) return refuse(res, 503, 'not graded yet', { 'retry-after': '2' });
    if (path === '/matrix.json') return reply('application/json', JSON.stringify(this.latest, null, 2));
    if (path === '/matrix.csv') return reply('text/csv; charset=utf-8', toCsv(this.latest));
    if (path === '/junit.xml') return reply('application/xml', toJUnit(this.latest));
    refuse(res, 404, 'not found');
  }
}
