// Pure logic of the API retry: what counts as transient, the backoff, the budget, and that retries do not nest.
import t from 'tap';
import { ApiUnavailable, isTransient, retrying, withRetry, type RetryRecord } from '../../harness/src/k8s/retry.js';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });

t.test('transient: refused, reset, 5xx and 429; not 4xx or a plain error', async (t) => {
  t.ok(isTransient(refused()));
  t.ok(isTransient(new Error('socket hang up')));
  t.ok(isTransient({ code: 503 }));
  t.ok(isTransient({ code: 429 }));
  t.notOk(isTransient({ code: 404 }));
  t.notOk(isTransient({ code: 403 }));
  t.notOk(isTransient(new Error('pods "x" not found')));
  t.notOk(
    isTransient(new ApiUnavailable('list pods: the API server did not answer for 30s (connect ECONNREFUSED)')),
    'an exhausted retry is final even though its message names the refusal',
  );
});

t.test('retried with growing delays until it answers, each retry logged', async (t) => {
  const log: RetryRecord[] = [];
  let calls = 0;
  const v = await withRetry(
    'read',
    async () => {
      if (++calls < 4) throw refused();
      return 'ok';
    },
    { log, budgetMs: 10_000 },
  );
  t.equal(v, 'ok');
  t.equal(calls, 4);
  t.same(
    log.map((r) => r.delayMs),
    [200, 400, 800],
  );
  t.match(log[0]!.error, /^read: connect ECONNREFUSED/);
  t.ok(
    log.every((r) => !Number.isNaN(Date.parse(r.at))),
    'each retry carries its time',
  );
});

t.test('a non-transient error is thrown at once', async (t) => {
  const log: RetryRecord[] = [];
  let calls = 0;
  await t.rejects(
    withRetry(
      'read',
      async () => {
        calls++;
        throw Object.assign(new Error('forbidden'), { code: 403 });
      },
      { log },
    ),
    { code: 403 },
  );
  t.equal(calls, 1);
  t.same(log, []);
});

t.test('past the budget: ApiUnavailable saying for how long and why', async (t) => {
  const started = Date.now();
  const err = await withRetry(
    'list pods',
    async () => {
      throw refused();
    },
    { budgetMs: 700 },
  ).catch((e: unknown) => e);
  t.type(err, ApiUnavailable);
  t.match((err as Error).message, /^list pods: the API server did not answer for 1s \(connect ECONNREFUSED/);
  t.ok(Date.now() - started < 5_000, 'it gave up near its budget');
});

t.test('a retrying client inside an outer retry does not start over', async (t) => {
  const log: RetryRecord[] = [];
  let calls = 0;
  const api = retrying(
    {
      async readPod() {
        calls++;
        throw refused();
      },
    },
    { log, budgetMs: 700 },
  );
  const err = await withRetry('outer', () => api.readPod(), { log, budgetMs: 700 }).catch((e: unknown) => e);
  t.type(err, ApiUnavailable);
  t.match(
    (err as Error).message,
    /^readPod: the API server did not answer/,
    "the inner client's verdict, not a second one",
  );
  const inner = calls;
  t.ok(inner >= 2 && inner <= 4, `the inner client tried ${inner} times`);
  t.ok(
    log.every((r) => r.error.startsWith('readPod:')),
    'only the inner retries were logged',
  );
});

t.test('each step has its own retry log, also when steps run side by side', async (t) => {
  const { stepRetryLog } = await import('../../harness/src/k8s/retry.js');
  const flaky = (name: string, failures: number) => {
    let n = 0;
    return () =>
      n++ < failures
        ? Promise.reject(Object.assign(new Error(`connect ECONNREFUSED (${name})`), { code: 'ECONNREFUSED' }))
        : Promise.resolve(name);
  };
  const a: RetryRecord[] = [];
  const b: RetryRecord[] = [];
  const shared: RetryRecord[] = [];
  const [ra, rb] = await Promise.all([
    stepRetryLog.run(a, () => withRetry('a', flaky('a', 2), { log: shared })),
    stepRetryLog.run(b, () => withRetry('b', flaky('b', 1), { log: shared })),
  ]);
  t.same([ra, rb], ['a', 'b']);
  t.same(
    a.map((r) => r.error.slice(0, 2)),
    ['a:', 'a:'],
    "step a's log has its two retries only",
  );
  t.same(
    b.map((r) => r.error.slice(0, 2)),
    ['b:'],
    "step b's log has its one retry only",
  );
  t.equal(shared.length, 3, 'the connection-wide log still has all three');
});
