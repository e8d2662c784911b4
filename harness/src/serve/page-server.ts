// The one server behind podlab's live pages (the instructor's scoreboard, the attendee's page): fixed GET routes
// and one Server-Sent Events stream. Loopback only unless told a host; a wider bind needs the token printed at
// start. Every request's Host must name this machine or a name allowed with --allow-host (no DNS rebinding); a
// request is routed by its path's last segment, so a proxy that keeps its own prefix (`/proxy/7080/events`) works
// as well as one that strips it; connections are capped, and an event
// stream that a client stops reading is dropped once its unsent bytes pass a cap, so a slow or hostile client
// cannot grow podlab's memory. What it publishes must already be redacted: this layer knows no secrets.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Connections, type ConnectionLimits } from './connections.js';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { allowedHosts, bindError, digest, hostOf, refuse, SECURITY_HEADERS, showHost, tokenOf } from './http-guard.js';
import type { Listen } from './listen.js';

/** A route's reply, or undefined while there is nothing to show yet (503). */
export type Route = () => { type: string; body: string } | undefined;

export interface PageServerOptions extends ConnectionLimits {
  /** bytes an event stream may hold unsent before its client is dropped (default 1 MiB) */
  maxBuffered?: number;
  /** the command whose printed address a refused request should open, e.g. 'podlab grade' */
  command: string;
  /** --allow-host: names a trusted proxy in front may forward as the Host (http-guard.ts `allowedHosts`) */
  allowHosts?: readonly string[];
}

export class PageServer {
  readonly token: string | undefined;
  url = '';
  address = {} as AddressInfo;
  private readonly hostAllowed: (host: string) => boolean;
  private readonly streams = new Set<ServerResponse>();
  // Node's own deadline for a request's headers (a slowloris sending a byte at a time), checked every second.
  private readonly server = createServer(
    { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1000 },
    (req, res) => this.handle(req, res),
  );
  private readonly connections: Connections;
  // Comments keep proxies and the browser from closing an idle stream.
  private readonly keepAlive = setInterval(() => this.streams.forEach((c) => this.push(c, ': keep-alive\n\n')), 15_000);
  private frame = '';

  constructor(
    private readonly l: Listen,
    private readonly routes: Record<string, Route>,
    private readonly o: PageServerOptions,
  ) {
    this.token = l.wide ? randomBytes(24).toString('base64url') : undefined;
    this.hostAllowed = allowedHosts(l, o.allowHosts);
    this.connections = new Connections(o);
    this.server.on('connection', (s: Socket) => this.connections.accept(s));
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

  /** Sends `data` (redacted by the caller) to every stream as one event, and to each stream that connects later. */
  publish(event: string, data: unknown): void {
    // JSON.stringify escapes newlines, so one frame is one data line. U+2028/U+2029 escaped too: valid JSON either
    // way, but clients that split lines with JavaScript regexps break on them.
    const json = JSON.stringify(data)
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029');
    this.frame = `event: ${event}\ndata: ${json}\n\n`;
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
    const printed = `open the address ${this.o.command} printed`;
    const close = { connection: 'close' };
    const host = hostOf(req.headers.host ?? '');
    if (!this.hostAllowed(host)) return refuse(res, 421, unknownHost(host, printed), close);
    const url = new URL(req.url ?? '/', 'http://x');
    const name = url.pathname.slice(url.pathname.lastIndexOf('/')); // '/proxy/7080/events' is '/events'
    if (this.token && !timingSafeEqual(digest(tokenOf(req, url)), digest(this.token)))
      return refuse(res, 401, `a token is needed: ${printed}`, close);
    if (!this.connections.trust(req.socket))
      return refuse(res, 503, 'too many connections', { 'retry-after': '5', ...close });
    if (req.method !== 'GET') return refuse(res, 405, 'GET only');
    if (name === '/events') return this.stream(req, res);
    const route = Object.hasOwn(this.routes, name) ? this.routes[name] : undefined;
    if (!route) return refuse(res, 404, 'not found');
    const reply = route();
    if (!reply) return refuse(res, 503, 'not ready yet', { 'retry-after': '2' });
    res.writeHead(200, { ...SECURITY_HEADERS(reply.body), 'content-type': reply.type, 'cache-control': 'no-store' });
    res.end(reply.body);
  }

  private stream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS(''),
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    this.streams.add(res);
    req.on('close', () => this.streams.delete(res));
    this.push(res, `retry: 2000\n\n${this.frame}`);
  }
}

/** The 421 text: what to open instead, and the option that allows this name when a trusted proxy forwards it. */
function unknownHost(host: string, printed: string): string {
  if (!/^[a-z0-9.-]{1,253}$/.test(host)) return `unknown Host: ${printed}`;
  return `unknown Host ${host}: ${printed}; behind a proxy you trust (e.g. a cloud shell's web preview), start it with --allow-host ${host}`;
}
