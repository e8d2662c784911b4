// Behind a proxy (Azure Cloud Shell's web preview): --allow-host names the Host a trusted proxy forwards, for both
// pages through the one page server, without widening the bind or dropping the token; and a request is routed by
// its path's last segment, so a proxy that keeps its prefix reaches the same routes as one that strips it.
import t from 'tap';
import { allowedHostName } from '../../harness/src/serve/listen.js';
import { UsageError } from '../../harness/src/errors.js';
import { serveScoreboard } from '../../harness/src/grade/serve.js';
import { Redactor } from '../../harness/src/report/redact.js';
import { get, matrix } from '../helpers/board.js';

t.test('--allow-host: a host name, or *.name under a name with a dot', async (t) => {
  t.equal(allowedHostName('Preview.Example.NET'), 'preview.example.net', 'lower-cased');
  t.equal(allowedHostName('*.console.azure.com'), '*.console.azure.com');
  t.equal(allowedHostName('10.0.0.7'), '10.0.0.7');
  for (const bad of ['', '*', '*.com', 'http://x.example', 'x.example:8080', 'a b', 'x..example', '-x.example']) {
    const err = ((): unknown => {
      try {
        return allowedHostName(bad);
      } catch (e) {
        return e;
      }
    })();
    t.ok(err instanceof UsageError, `${JSON.stringify(bad)} is a usage error`);
  }
});

t.test('an allowed name is answered; any other still gets 421, which says what to type', async (t) => {
  const lines: string[] = [];
  const allowHosts = ['preview.example.net', '*.console.example.com'];
  const board = await serveScoreboard(':0', { redactor: new Redactor(), allowHosts, log: (l) => lines.push(l) });
  t.teardown(() => board.close());
  t.match(board.url, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'still loopback, still no token');
  t.match(lines.join('\n'), /also answering for Host preview\.example\.net, \*\.console\.example\.com/);
  t.equal((await get(board, '/', { host: 'preview.example.net' })).status, 200, 'the allowed name');
  t.equal((await get(board, '/', { host: 'PREVIEW.example.net:443' })).status, 200, 'any case, any port');
  t.equal((await get(board, '/', { host: 'gateway7.console.example.com' })).status, 200, 'a name under *.name');
  t.equal((await get(board, '/', { host: 'console.example.com' })).status, 421, '*.name is not the name itself');
  t.equal((await get(board, '/', { host: 'evilconsole.example.com' })).status, 421, 'nor a name ending like it');
  const refused = await get(board, '/', { host: 'other.example' });
  t.equal(refused.status, 421, 'any other name: refused (DNS rebinding)');
  t.match(refused.body, /--allow-host other\.example/, 'the refusal names the option and the name');
  const odd = await get(board, '/', { host: 'x"<y>.example' });
  t.notMatch(odd.body, /<y>/, 'a name that is not a host name is not echoed');
});

t.test('a wide bind with an allowed name still needs the token', async (t) => {
  let token = '';
  const board = await serveScoreboard('0.0.0.0:0', {
    redactor: new Redactor(),
    allowHosts: ['preview.example.net'],
    log: (l) => (token = /token=([\w-]+)/.exec(l)?.[1] ?? token),
  });
  t.teardown(() => board.close());
  t.equal((await get(board, '/', { host: 'preview.example.net' })).status, 401, 'no token');
  t.equal((await get(board, `/?token=${token}`, { host: 'preview.example.net' })).status, 200, 'with the token');
});

t.test('routed by the last segment: a kept prefix reaches the same routes', async (t) => {
  const board = await serveScoreboard(':0', { redactor: new Redactor(), log: () => undefined });
  t.teardown(() => board.close());
  board.publish(matrix(['a reason']));
  for (const path of ['/', '/n/console/proxy/7080/', '/proxy/7080/index.html'])
    t.match((await get(board, path)).body, /<title>podlab scoreboard<\/title>/, `${path}: the page`);
  t.equal((await get(board, '/proxy/7080/matrix.json')).status, 200, 'an export under the prefix');
  t.match((await get(board, '/proxy/7080/events')).body, /event: matrix/, 'the event stream under the prefix');
  t.equal((await get(board, '/proxy/7080/nothing')).status, 404, 'an unknown name is still 404');
  t.equal((await get(board, '/proxy/7080')).status, 404, 'the prefix without its slash is not the page');
});
