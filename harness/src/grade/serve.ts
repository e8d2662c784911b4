// The scoreboard server: the page, the matrix as Server-Sent Events, and the same exports as the CLI, served by
// the guarded page server that the attendee's page uses too (serve/page-server.ts).
import type { AddressInfo } from 'node:net';
import type { Redactor } from '../report/redact.js';
import { toCsv, toJUnit, type GradeMatrix } from './matrix.js';
import { SCOREBOARD_HTML } from './scoreboard-page.js';
import { parseListen, type Listen } from '../serve/listen.js';
import { PageServer } from '../serve/page-server.js';
import type { ConnectionLimits } from '../serve/connections.js';

export { parseListen, type Listen };

/** Connection caps and deadlines: serve/connections.ts. */
export interface ServeOptions extends ConnectionLimits {
  /** the grade command's: every matrix is redacted with it before it is kept or sent */
  redactor: Redactor;
  /** bytes an event stream may hold unsent before its client is dropped (default 1 MiB) */
  maxBuffered?: number;
  /** --allow-host: names a trusted proxy in front may forward as the Host */
  allowHosts?: readonly string[];
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

export async function serveScoreboard(spec: string | Listen, o: ServeOptions): Promise<Scoreboard> {
  const listen = typeof spec === 'string' ? parseListen(spec) : spec;
  let latest: GradeMatrix | undefined;
  const html = () => ({ type: 'text/html; charset=utf-8', body: SCOREBOARD_HTML });
  const server = new PageServer(
    listen,
    {
      '/': html,
      '/index.html': html,
      '/matrix.json': () => latest && { type: 'application/json', body: JSON.stringify(latest, null, 2) },
      '/matrix.csv': () => latest && { type: 'text/csv; charset=utf-8', body: toCsv(latest) },
      '/junit.xml': () => latest && { type: 'application/xml', body: toJUnit(latest) },
    },
    { ...o, command: 'podlab grade' },
  );
  await server.listen();
  (o.log ?? ((line: string) => console.error(line)))(
    `podlab grade: scoreboard at ${server.url} (Ctrl-C to stop)` +
      (server.token
        ? '\npodlab grade: the token in this address is shown only once; whoever has the address can see the scoreboard'
        : '') +
      (o.allowHosts?.length ? `\npodlab grade: also answering for Host ${o.allowHosts.join(', ')} (--allow-host)` : ''),
  );
  return {
    get url() {
      return server.url;
    },
    get address() {
      return server.address;
    },
    publish(m: GradeMatrix) {
      // Redacted as a value, then serialised.
      latest = o.redactor.redactValue(m);
      server.publish('matrix', latest);
    },
    clients: () => server.clients(),
    close: () => server.close(),
  };
}
