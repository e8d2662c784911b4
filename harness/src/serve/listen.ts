// Where the scoreboard listens (`podlab grade --serve`): parsed when the command line is, so that a bad address
// is a usage error before anything loads, connects or grades. Kept free of heavy imports for that reason.
import { UsageError } from '../errors.js';

export interface Listen {
  host: string;
  port: number;
  /** as given on the command line, for messages */
  spec: string;
  /** reachable from other machines: needs the token */
  wide: boolean;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|::1|::ffff:127(?:\.\d{1,3}){3})$/i;
const SPEC = /^(?:(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]*):)?(\d{1,5})$/;

/** `:8080` or `8080` (127.0.0.1), `127.0.0.1:8080`, `0.0.0.0:8080` (every interface), `[::]:8080`, `host.example:8080`. Port 0 picks a free one. */
export function parseListen(spec: string): Listen {
  const m = SPEC.exec(spec.trim());
  const port = Number(m?.[2]);
  if (!m || port > 65535)
    throw new UsageError(
      `--serve ${spec}: expected [host]:port, e.g. :8080 (this machine only) or 0.0.0.0:8080 (every interface)`,
    );
  const host = m[1] ? m[1].replace(/^\[|\]$/g, '') : '127.0.0.1';
  return { host, port, spec, wide: !LOOPBACK.test(host) };
}

const NAME = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * One `--allow-host` value: a host name (no port, no scheme) a proxy in front may forward as the Host, or `*.name`
 * for any name under one that has a dot (`*.console.azure.com`, never `*` or `*.com`).
 */
export function allowedHostName(value: string): string {
  const name = value.trim().toLowerCase().replace(/\.$/, '');
  const wildcardTooWide = name.startsWith('*.') && !name.slice(2).includes('.');
  if (name.length > 253 || !NAME.test(name) || wildcardTooWide)
    throw new UsageError(
      `--allow-host ${value}: expected a host name as the browser's address bar shows it, without scheme or port ` +
        '(e.g. preview.example.net, or *.example.net for any name under it)',
    );
  return name;
}
