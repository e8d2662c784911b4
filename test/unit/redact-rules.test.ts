// What redaction hides, one string or value at a time: each secret family, ordinary text that must stay as it is,
// and values whose keys name a credential. (Every reporter carrying no secret is redact.test.ts.)
import t from 'tap';
import { Redactor } from '../../harness/src/report/redact.js';

/** no secret known by value: the patterns alone */
const patterns = new Redactor();

t.test('each secret family', async (t) => {
  const cases: Array<[string, string]> = [
    ['git clone https://ana:s3cr3t@example.com/x.git', 'git clone https://ana:[redacted]@example.com/x.git'],
    ['postgres://app:p%40ss@db:5432/app', 'postgres://app:[redacted]@db:5432/app'],
    ['Authorization: Basic dXNlcjpwYXNzd29yZA==', 'Authorization: Basic [redacted]'],
    ['proxy said Basic dXNlcjpwYXNz', 'proxy said Basic [redacted]'],
    ['export FOO_KEY=abc123', 'export FOO_KEY=[redacted]'],
    ['X_SECRET="q\\"uo" y', 'X_SECRET="[redacted]" y'],
    ['DB_PASSWORD=hunter2 next', 'DB_PASSWORD=[redacted] next'],
    ['PGPASS=x', 'PGPASS=[redacted]'],
    [`token ghp_${'a'.repeat(36)}`, 'token [redacted github token]'],
    [`github_pat_${'A1_'.repeat(25)}`, '[redacted github token]'],
    [
      '{"kind":"ExecCredential","status":{"token":"k8s-aws-v1.abc"}}',
      '{"kind":"ExecCredential","status":{"token":"[redacted]"}}',
    ],
    ['client-key-data: LS0tLS1CRUdJTiBSU0E=', 'client-key-data: [redacted]'],
    ['"token":"abc.def"', '"token":"[redacted]"'],
    ['kubectl --token=abc get pods', 'kubectl --token=[redacted] get pods'],
    ['-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----', '[redacted private key]'],
    ['-----BEGIN PRIVATE KEY-----\nMHc (cut off)', '[redacted private key]'],
  ];
  for (const [input, want] of cases) t.equal(patterns.redact(input), want, input);
});

t.test('ordinary text stays as it is', async (t) => {
  for (const s of [
    'pod sandboxed is Running',
    'Basic networking works',
    'PASSED: 3, PASS: 2',
    'volumes:\n  secret:\n    secretName: foo',
    'https://example.com:8080/a@b',
    'Authorization header missing',
    'the token count is 3',
  ]) {
    t.equal(patterns.redact(s), s, s);
  }
});

t.test('redactValue: keys naming a credential hide their whole value; the rest is JSON-shaped', async (t) => {
  const v = patterns.redactValue({
    status: { token: 'plain-looking', expirationTimestamp: '2026-01-01' },
    env: { DB_PASSWORD: 'x', AWS_SECRET_ACCESS_KEY: 'y', passed: 'yes', PASSED: 'yes' },
    when: new Date(0),
    gone: undefined,
    list: [undefined, 1n, Number.NaN, () => 1],
  });
  t.same(v, {
    status: { token: '[redacted]', expirationTimestamp: '2026-01-01' },
    env: { DB_PASSWORD: '[redacted]', AWS_SECRET_ACCESS_KEY: '[redacted]', passed: 'yes', PASSED: 'yes' },
    when: '1970-01-01T00:00:00.000Z',
    list: [null, '1', null, null],
  });
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  t.same(patterns.redactValue(cyclic), { a: 1, self: '[circular]' }, 'a cycle does not throw');
});
