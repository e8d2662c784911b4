// A block of the lab text that never ends is stopped, by the step's timeout or by SIGINT, with every process it
// started (even one that ignores SIGTERM), and the teardown still removes what the text made.
import t from 'tap';
import { execa } from 'execa';
import { env, json, namespaceGone, podlab, repo, step } from '../helpers/text-run.js';

const hanging = async () => (await execa('pgrep', ['-f', 'sleep 61[37]'], { reject: false })).stdout.trim();

t.test("a block that hangs is ended at the step's timeout, its processes and all", async (t) => {
  const r = await podlab(['run', 'test/fixtures/run-labs/text-hang', '--reporter', 'json'], {
    HANG_TIMEOUT_MS: '4000',
  });
  t.equal(r.exitCode, 1, r.stderr);
  const result = json(r.stdout);
  t.match(
    step(result, 'wait-forever').reason,
    /^test\/fixtures\/run-labs\/text-hang\/01-hang\.md:17: `sleep 613` was stopped: step timed out after 4s/,
  );
  t.equal(await hanging(), '', 'no process of the block is left, not even the one that ignored SIGTERM');
  t.ok(await namespaceGone(`${result.namespace}-hang`), 'the namespace the text made is gone');
  t.equal(result.teardown?.status, 'pass');
});

t.test('SIGINT during a block: the block is stopped and the teardown removes what the text made', async (t) => {
  const child = execa(
    'node',
    [`${repo}bin/podlab.js`, 'run', 'test/fixtures/run-labs/text-hang', '--reporter', 'json'],
    {
      reject: false,
      forceKillAfterDelay: false,
      env,
    },
  );
  for (let i = 0; i < 600 && !(await hanging()); i++) await new Promise((r) => setTimeout(r, 100));
  t.not(await hanging(), '', 'the block is running');
  child.kill('SIGINT');
  const r = await child;
  t.not(r.exitCode, 0);
  const result = json(r.stdout);
  t.match(result.interrupted, /interrupted by SIGINT/);
  t.equal(step(result, 'wait-forever').status, 'fail');
  t.equal(await hanging(), '', 'no process of the block is left');
  t.ok(await namespaceGone(result.namespace), 'the run namespace is gone');
  t.ok(await namespaceGone(`${result.namespace}-hang`), 'the namespace the text made is gone');
  t.same(result.teardown?.evidence?.leaked, []);
});
