// The scoreboard server: the page, the matrix as Server-Sent Events, and the same exports as the CLI.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';
import { redact } from '../report/redact.js';
import { toCsv, toJUnit, type GradeMatrix } from './matrix.js';
import { SCOREBOARD_HTML } from './scoreboard-page.js';

export interface Scoreboard {
  url: string;
  publish(m: GradeMatrix): void;
  close(): Promise<void>;
}

/** `:8080` (every interface), `127.0.0.1:8080`, or `8080`. Port 0 picks a free one. */
export function parseListen(spec: string): { host?: string; port: number } {
  const m = /^(?:(\[[^\]]+\]|[^:]*):)?(\d{1,5})$/.exec(spec.trim());
  const port = Number(m?.[2]);
  if (!m || port > 65535) throw new UsageError(`--serve ${spec}: expected [host]:port, e.g. :8080 or 127.0.0.1:8080`);
  return { host: m[1] ? m[1].replace(/^\[|\]$/g, '') : undefined, port };
}

export async function serveScoreboard(listen: string): Promise<Scoreboard> {
  const { host, port } = parseListen(listen);
  let latest: GradeMatrix | undefined;
  const clients = new Set<ServerResponse>();
  const send = (res: ServerResponse, m: GradeMatrix) => res.write(`event: matrix\ndata: ${redact(JSON.stringify(m))}\n\n`);

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const reply = (type: string, body: string) => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (path === '/' || path === '/index.html') return reply('text/html; charset=utf-8', SCOREBOARD_HTML);
    if (path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write('retry: 2000\n\n');
      clients.add(res);
      if (latest) send(res, latest);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (!latest) {
      res.writeHead(503, { 'retry-after': '2' }).end('not graded yet\n');
      return;
    }
    if (path === '/matrix.json') return reply('application/json', redact(JSON.stringify(latest, null, 2)));
    if (path === '/matrix.csv') return reply('text/csv; charset=utf-8', redact(toCsv(latest)));
    if (path === '/junit.xml') return reply('application/xml', redact(toJUnit(latest)));
    res.writeHead(404).end('not found\n');
  });
  // Comments keep proxies and the browser from closing an idle stream.
  const keepAlive = setInterval(() => clients.forEach((c) => c.write(': keep-alive\n\n')), 15_000);

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new UsageError(`--serve ${listen}: the port is in use`) : err));
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shown = host && host !== '0.0.0.0' && host !== '::' ? (host.includes(':') ? `[${host}]` : host) : '127.0.0.1';
  return {
    url: `http://${shown}:${addr.port}/`,
    publish(m) {
      latest = m;
      for (const c of clients) send(c, m);
    },
    close: () =>
      new Promise((resolve) => {
        clearInterval(keepAlive);
        for (const c of clients) c.end();
        server.close(() => resolve());
        server.closeAllConnections(); // an open browser tab must not hold the command up
      }),
  };
}
