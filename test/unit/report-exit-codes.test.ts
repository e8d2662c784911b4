// Exit-code mapping (0 ok, 1 a check failed, 2 usage, 3 environment), without a cluster.
import t from 'tap';
import { CommanderError } from 'commander';
import { EXIT, exitCodeFor } from '../../harness/src/cli/exit.js';
import { EnvironmentError, UsageError } from '../../harness/src/errors.js';
import { main } from '../../harness/src/cli/main.js';

t.test('exitCodeFor maps each kind of ending', async (t) => {
  t.same(exitCodeFor(new CommanderError(1, 'commander.unknownCommand', 'x')), { code: EXIT.usage });
  t.same(exitCodeFor(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)')), { code: EXIT.ok });
  t.same(exitCodeFor(new UsageError('no such step')), { code: EXIT.usage, message: 'no such step' });
  t.same(exitCodeFor(new EnvironmentError('cannot reach the cluster')), {
    code: EXIT.environment,
    message: 'cannot reach the cluster',
  });
  t.equal(exitCodeFor(new Error('boom')).code, EXIT.failed);
  // client-node's ApiException for a Forbidden: the API server's own message names the user, verb and resource
  const forbidden = Object.assign(new Error('HTTP-Code: 403'), {
    code: 403,
    body: JSON.stringify({
      message: 'namespaces is forbidden: User "system:serviceaccount:x:y" cannot create resource "namespaces"',
    }),
  });
  const r = exitCodeFor(forbidden);
  t.equal(r.code, EXIT.environment, 'an RBAC Forbidden is the environment, not a failed check');
  t.match(r.message, /^RBAC: HTTP 403: namespaces is forbidden: .*cannot create resource "namespaces".*Grant it/);
});

t.test('main() on the command line, no cluster needed', async (t) => {
  const errors: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  const out = process.stdout.write.bind(process.stdout);
  process.stderr.write = ((s: string) => {
    errors.push(String(s));
    return true;
  }) as typeof process.stderr.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  const log = console.log;
  const error = console.error;
  console.log = () => {};
  console.error = (...a: unknown[]) => {
    errors.push(a.join(' '));
  };
  t.teardown(() => {
    process.stderr.write = write;
    process.stdout.write = out;
    console.log = log;
    console.error = error;
  });
  const run = (...args: string[]) => main(['node', 'podlab', ...args]);

  t.equal(await run('--help'), EXIT.ok, '--help');
  t.equal(await run('frobnicate'), EXIT.usage, 'unknown command');
  t.equal(await run('run'), EXIT.usage, 'missing <lab>');
  t.equal(await run('run', 'hello-pod', '--reporter', 'xml'), EXIT.usage, 'bad --reporter choice');
  t.equal(await run('check', 'hello-pod'), EXIT.usage, 'check without --namespace');
  t.equal(await run('run', 'no-such-lab'), EXIT.usage, 'unknown lab');
  t.equal(await run('cluster', 'explode'), EXIT.usage, 'unknown cluster action');
  t.equal(await run('lint', 'test/fixtures/lint-root/labs/broken'), EXIT.usage, 'lint errors');
  errors.length = 0;
  t.equal(
    await run('run', 'hello-pod', '--kubeconfig', '/nonexistent/kubeconfig'),
    EXIT.environment,
    'missing kubeconfig file',
  );
  t.match(errors.join(''), /cannot read kubeconfig \/nonexistent\/kubeconfig: no such file/);
  t.notMatch(errors.join(''), /\n\s+at /, 'no stack trace');
});
