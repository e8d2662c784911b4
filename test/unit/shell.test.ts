// The attendee's shell on its own (bash, no cluster): state across blocks, the failing line, stops and exits.
import t from 'tap';
import { ShellSession } from '../../harness/src/shell/session.js';
import { below } from '../../harness/src/proc/stop.js';

const at = (line: number) => ({ file: '/lab/01-m.md', line, col: 1 });
const never = () => new AbortController().signal;
const session = (t: Tap.Test) => {
  const s = new ShellSession({ cwd: '/', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp' } });
  t.teardown(() => s.close());
  return s;
};

t.test('variables, functions and cd carry from block to block; blocks see no arguments and no stdin', async (t) => {
  const s = session(t);
  const first = await s.run({ content: 'export A=1\nB=2\nf() { echo "f:$1"; }\ncd /tmp\n', pos: at(10) }, never());
  t.equal(first.exitCode, 0);
  const second = await s.run({ content: 'echo "$A $B $PWD $# $(f x)"\ncat\n', pos: at(20) }, never());
  t.equal(second.exitCode, 0, 'cat reads /dev/null, not the lines that follow');
  t.equal(second.stdout, '1 2 /tmp 0 f:x\n');
});

t.test('the first failing command ends the block: its Markdown line, status and output', async (t) => {
  const s = session(t);
  const r = await s.run(
    { content: 'echo before\nfalse || echo tolerated\nls /no/such/dir\necho after\n', pos: at(30) },
    never(),
  );
  t.equal(r.exitCode, 2);
  t.same(r.failedAt, { pos: at(33), command: 'ls /no/such/dir' });
  t.equal(r.stdout, 'before\ntolerated\n');
  t.match(r.stderr, /No such file or directory/);
  const inFunction = await s.run(
    { content: 'g() { echo in-g; false; echo not-here; }\ng\necho not-either\n', pos: at(40) },
    never(),
  );
  t.same(
    inFunction.failedAt,
    { pos: at(42), command: 'g' },
    'a failure inside a function is reported at the call in the block',
  );
  t.equal(inFunction.stdout, 'in-g\n');
  const missing = await s.run({ content: 'kubectl_aply get pods\n', pos: at(50) }, never());
  t.equal(missing.exitCode, 127);
  t.match(
    missing.stderr,
    /^\/lab\/01-m\.md:51: kubectl_aply: command not found/,
    "bash's message names the Markdown line",
  );
  t.equal(
    (await s.run({ content: 'echo still here\n', pos: at(60) }, never())).stdout,
    'still here\n',
    'the shell goes on after a failed block',
  );
});

t.test('a stopped block: its processes are killed (even one ignoring SIGTERM) and the shell comes back', async (t) => {
  const s = session(t);
  const ac = new AbortController();
  setTimeout(() => ac.abort(new Error('step timed out after 1s')), 1000);
  const r = await s.run(
    { content: 'bash -c \'trap "" TERM; sleep 301\' &\nsleep 300\necho not-here\n', pos: at(70) },
    ac.signal,
  );
  t.equal(r.stopped, 'step timed out after 1s');
  t.same(r.failedAt, { pos: at(72), command: 'sleep 300' });
  t.same(below(s.pid!), [], 'nothing below the shell is left');
  t.equal((await s.run({ content: 'echo back\n', pos: at(80) }, never())).stdout, 'back\n');
});

t.test('a block busy in the shell itself ends the session; so does exit', async (t) => {
  const s = session(t);
  const ac = new AbortController();
  setTimeout(() => ac.abort(new Error('interrupted by SIGINT')), 500);
  const r = await s.run({ content: 'while true; do :; done\n', pos: at(90) }, ac.signal);
  t.match(r.shellEnded, /did not come back from the block/);
  t.equal(s.alive, false);
  t.match(
    (await s.run({ content: 'echo x\n', pos: at(95) }, never())).shellEnded,
    /did not come back/,
    'later blocks say why they cannot run',
  );
  const e = session(t);
  const exited = await e.run({ content: 'echo bye\nexit 3\n', pos: at(100) }, never());
  t.equal(exited.stdout, 'bye\n');
  t.equal(exited.shellEnded, 'the shell exited with status 3 (`exit` in a block)');
});

t.test("the shell's own files may sit under a TMPDIR with spaces and quotes", async (t) => {
  const odd = t.testdir({ "it's a dir": {} });
  const before = process.env.TMPDIR;
  process.env.TMPDIR = `${odd}/it's a dir`;
  t.teardown(() => {
    process.env.TMPDIR = before;
  });
  const s = session(t);
  const r = await s.run({ content: 'echo fine\nfalse\n', pos: at(110) }, never());
  t.equal(r.stdout, 'fine\n');
  t.same(r.failedAt, { pos: at(112), command: 'false' }, 'the failing line is still found');
});
