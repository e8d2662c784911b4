// The scoreboard server's test kit: a matrix of hostile strings, a GET with any Host, a raw event-stream client,
// a wait, and an RFC 4180 reader for the CSV export.
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Scoreboard } from '../../harness/src/grade/serve.js';
import type { GradeMatrix } from '../../harness/src/grade/matrix.js';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
export const HOSTILE = [
  'password: "SECRETpa\\"SECRETss\\\\word" and more',
  'Authorization: Bearer SECRETabc.def\nline two "quoted" \\ back',
  'ünïcode ✓ 😀 \u2028 https://ana:SECRETurl@git.example.com </x> ]]> , ; "',
  '{"kind":"ExecCredential","status":{"token":"SECRETexec\\"x"}}',
];

export function matrix(reasons: string[], n = 2): GradeMatrix {
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

export interface Reply {
  status: number;
  body: string;
}

/** One GET to the board's port with these headers (Host included, so that it can lie). */
export function get(board: Scoreboard, path: string, headers: Record<string, string> = {}): Promise<Reply> {
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
export function stream(
  board: Scoreboard,
  path = '/events',
): { socket: Socket; frames: string[]; closed: Promise<void> } {
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

export const until = async (what: string, ok: () => boolean, ms = 10_000) => {
  for (const end = Date.now() + ms; !ok(); await new Promise((r) => setTimeout(r, 20)))
    if (Date.now() > end) throw new Error(`timed out waiting: ${what}`);
};

/** RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks. */
export function parseCsv(text: string): string[][] {
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
