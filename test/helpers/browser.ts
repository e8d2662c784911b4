// Real Chromium (Debian's package) for the page tests, a path-prefix proxy like Azure Cloud Shell's web preview,
// and an axe-core audit.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** How a reverse proxy passes a request on: whether it strips its prefix, and which Host it forwards. */
export interface ProxyStyle {
  /** true (the default): `/<prefix>/x` reaches the target as `/x`; false: the path keeps its prefix */
  stripPrefix?: boolean;
  /** the Host header the target sees: the target's own by default, or a public name */
  host?: string;
}

/**
 * Serves `target` under `/<prefix>/` as a reverse proxy does (see ProxyStyle); responses, the event stream too, are
 * piped back as they come. A request outside the prefix is a 404 from the proxy itself.
 */
export async function prefixProxy(
  target: URL,
  prefix: string,
  style: ProxyStyle = {},
): Promise<{ url: string; close(): void }> {
  const { stripPrefix = true, host = target.host } = style;
  const server = createServer((req, res) => {
    if (!req.url?.startsWith(`/${prefix}/`)) return void res.writeHead(404).end('outside the prefix\n');
    const path = stripPrefix ? req.url.slice(prefix.length + 1) : req.url;
    const headers = { ...req.headers, host };
    const upstream = request({ host: target.hostname, port: target.port, path, method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () => {
    server.close();
    server.closeAllConnections();
  };
  return { url: `http://127.0.0.1:${port}/${prefix}/`, close };
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const require = createRequire(import.meta.url);
  // Evaluated over the DevTools protocol, not added as a <script>: the page's CSP (scripts by hash only) rightly
  // refuses a script it does not know.
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: Array<Record<string, unknown>> }> } }).axe;
    return (await axe.run()).violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: (v.nodes as unknown[]).length,
      first: String((v.nodes as Array<{ target: unknown }>)[0]?.target ?? ''),
    }));
  });
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.nodes}; first: ${v.first})`);
}
