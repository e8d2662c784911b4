// What guards podlab's HTTP pages: which Host names a request may carry, the token, why a bind failed, the
// address to print, and the plain-text refusal.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';
import { EnvironmentError, UsageError } from '../errors.js';
import type { Listen } from './listen.js';

/**
 * Which Host a request may carry: loopback always; for a wide bind also this machine's name and addresses; and the
 * names given with --allow-host (a proxy in front that forwards its own public name, e.g. Azure Cloud Shell's web
 * preview), where `*.example.net` is any name under example.net. Allowing a name widens neither the bind nor the
 * need for the token: it only says which name a browser may have used to reach this port.
 */
export function allowedHosts(l: Listen, allow: readonly string[] = []): (host: string) => boolean {
  const names = ['localhost', '127.0.0.1', '::1', l.host, ...allow.filter((a) => !a.startsWith('*.'))];
  if (l.wide) {
    names.push(hostname(), hostname().split('.')[0]!);
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.push(a.address);
  }
  const exact = new Set(names.map((n) => n.toLowerCase()));
  const under = allow.filter((a) => a.startsWith('*.')).map((a) => a.slice(1).toLowerCase());
  return (host) => exact.has(host) || under.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
}

/** `host:port`, `[v6]:port` or `host` to the host alone. */
export const hostOf = (header: string) =>
  (header.startsWith('[') ? header.slice(1, header.indexOf(']')) : header.replace(/:\d*$/, '')).toLowerCase();

export const digest = (s: string) => createHash('sha256').update(s).digest();

export function tokenOf(req: IncomingMessage, url: URL): string {
  const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return auth?.[1] ?? url.searchParams.get('token') ?? '';
}

export function bindError(l: Listen, err: NodeJS.ErrnoException): Error {
  const why: Record<string, string> = {
    EADDRINUSE: `port ${l.port} is in use`,
    EACCES: `not allowed to listen on port ${l.port} (ports below 1024 need privileges)`,
    EADDRNOTAVAIL: `${l.host} is not an address of this machine`,
    ENOTFOUND: `cannot resolve ${l.host}`,
    EAI_AGAIN: `cannot resolve ${l.host}`,
  };
  const reason = err.code ? why[err.code] : undefined;
  return reason
    ? new UsageError(`--serve ${l.spec}: ${reason}`)
    : new EnvironmentError(`--serve ${l.spec}: cannot listen: ${err.message}`);
}

export function refuse(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res
    .writeHead(status, {
      ...SECURITY_HEADERS(''),
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    })
    .end(`${text}\n`);
}

/**
 * The headers every reply of podlab's pages carries: no other site may frame a page (clickjacking), the browser
 * runs only the page's own inline scripts and applies only its own inline styles (both by hash, so a name that slipped
 * into the HTML could neither run nor restyle the page), loads nothing from elsewhere and talks only to this server;
 * no type sniffing; the address, which can hold the token, is never sent as a Referer.
 */
export function SECURITY_HEADERS(body: string): Record<string, string> {
  const hashes = (tag: string) =>
    [...body.matchAll(new RegExp(`<${tag}>([^<]*(?:<(?!/${tag}>)[^<]*)*)</${tag}>`, 'g'))].map(
      (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
    );
  const scripts = hashes('script');
  const styles = hashes('style');
  return {
    'content-security-policy': [
      "default-src 'none'",
      `script-src ${scripts.join(' ') || "'none'"}`,
      `style-src ${styles.join(' ') || "'none'"}`,
      "connect-src 'self'",
      "img-src 'self' data:",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
  };
}

/** The host to print: a wide bind's first outside IPv4 address (what others can open), else the bound host. */
export function showHost(l: Listen): string {
  let host = l.host;
  if (host === '0.0.0.0' || host === '::') {
    const outside = Object.values(networkInterfaces())
      .flatMap((list) => list ?? [])
      .find((a) => a.family === 'IPv4' && !a.internal);
    host = outside?.address ?? '127.0.0.1';
  }
  return host.includes(':') ? `[${host}]` : host;
}
