// Each command has a Redactor of its own (cli/command.ts): two commands run in one process share no secret. A fake
// API server answers every request with 403 and a message naming every bearer token it has seen, so each command's
// output shows which tokens its own redactor knows: its kubeconfig's, and not the command's before it.
import t from 'tap';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { main } from '../../harness/src/cli/main.js';

const ANA = 'anaCredentialValue0123456789';
const BO = 'boCredentialValue9876543210';

function echoServer(): Promise<Server> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    if (token && !seen.includes(token)) seen.push(token);
    res.writeHead(403, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', code: 403, message: `seen ${seen.join(' and ')}` }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const kubeconfig = (file: string, port: number, token: string) => {
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'c',
      // plain HTTP: client-node sends a token over it only with TLS verification off
      clusters: [{ name: 'c', cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token } }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
    }),
  );
  return file;
};

/** Runs podlab's main in this process; what it printed on stdout and stderr. */
async function podlab(...args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = console.log;
  try {
    const code = await main(['node', 'podlab', ...args]);
    return { code, out: out.join('\n') };
  } finally {
    [console.log, console.error] = [log, error];
  }
}

t.test('two commands in one process: each redacts its own kubeconfig, and knows nothing of the other', async (t) => {
  const server = await echoServer();
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  const dir = t.testdir();
  const ana = kubeconfig(`${dir}/ana.kubeconfig`, port, ANA);
  const bo = kubeconfig(`${dir}/bo.kubeconfig`, port, BO);

  // doctor: the failed point's diagnostics (TAP, through the command's redactor)
  const first = await podlab('doctor', '--no-pull', '--kubeconfig', ana);
  t.match(first.out, /not ok 1 - API server reachable[\s\S]*HTTP 403: seen \[redacted\]/, "ana's token, redacted");
  t.notMatch(first.out, ANA);
  const second = await podlab('doctor', '--no-pull', '--kubeconfig', bo);
  t.match(second.out, `HTTP 403: seen ${ANA} and [redacted]`, "bo's command knows bo's token, not ana's");
  t.notMatch(second.out, BO);

  // room grant: the error that ends the command, printed by main through that command's redactor
  const third = await podlab('room', 'grant', '--namespaces', 'team=x', '--kubeconfig', ana);
  t.equal(third.code, 3, 'a 403 is the environment');
  t.match(third.out, `podlab: RBAC: HTTP 403: seen [redacted] and ${BO}`, "a third command knows ana's token again");
  t.notMatch(third.out, ANA);
});
