// The one API-client wrapper: layers compose in order, each sees the call beneath it (pure logic: a stand-in client).
import t from 'tap';
import { denyWrites, routeMethods, wrapApi, type ApiLayer } from '../../harness/src/k8s/wrap-api.js';
import { countCalls, newStats } from '../../harness/src/k8s/counted.js';
import { retryCalls, type RetryRecord } from '../../harness/src/k8s/retry.js';

class Client {
  calls: string[] = [];
  failures = 0;
  readonly basePath = 'https://api.example';
  async readPod(name: string) {
    this.calls.push(`read ${name}`);
    if (this.failures-- > 0) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    return { name };
  }
  async createPod(name: string) {
    this.calls.push(`create ${name}`);
  }
}

const tag =
  (name: string, seen: string[]): ApiLayer =>
  (method, next) =>
  (...args) => {
    seen.push(`${name} ${method}`);
    return next(...args);
  };

t.test('the first layer is nearest the client, the last is called first; the client is `this`', async (t) => {
  const client = new Client();
  const seen: string[] = [];
  const api = wrapApi(client, [tag('inner', seen), tag('outer', seen)]);
  t.same(await api.readPod('a'), { name: 'a' });
  t.same(seen, ['outer readPod', 'inner readPod']);
  t.same(client.calls, ['read a'], "the client's own method ran, on the client");
});

t.test('properties that are not methods, and methods no layer takes, are the client’s own', async (t) => {
  const client = new Client();
  const api = wrapApi(client, [routeMethods({ readPod: (next) => next })]);
  t.equal(api.basePath, 'https://api.example');
  t.equal(api.createPod, Client.prototype.createPod, 'untouched method');
  t.equal(wrapApi(client, []).readPod, Client.prototype.readPod, 'no layers: the client itself');
});

t.test('counted outside retried: one request counted however many attempts', async (t) => {
  const client = new Client();
  client.failures = 2;
  const stats = newStats();
  const log: RetryRecord[] = [];
  const api = wrapApi(client, [retryCalls({ log, budgetMs: 5_000 }), countCalls(stats)]);
  t.same(await api.readPod('b'), { name: 'b' });
  t.equal(client.calls.length, 3, 'two failures, then the answer');
  t.equal(log.length, 2);
  t.match(log[0], { attempt: 1, error: 'readPod: connect ECONNREFUSED' });
  t.same(stats, { requests: 1, watches: 0, execs: 0, byMethod: { readPod: 1 } });
});

t.test('denyWrites refuses before the call is sent; a route may answer or call beneath it', async (t) => {
  const client = new Client();
  const api = wrapApi(client, [
    routeMethods({ readPod: (next) => async (name) => (name === 'cached' ? { cached: true } : next(name)) }),
    denyWrites((method) => new Error(`no ${method}`)),
  ]);
  await t.rejects(api.createPod('x'), { message: 'no createPod' });
  t.same(await api.readPod('cached'), { cached: true });
  t.same(await api.readPod('c'), { name: 'c' });
  t.same(client.calls, ['read c'], 'no write and no cached read reached the client');
});
