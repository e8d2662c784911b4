// run and solve at a terminal: each step's state redrawn in place on stderr; plain lines when not a terminal.
import t from 'tap';
import { LiveSteps, redraws } from '../../harness/src/report/live.js';
import { Redactor } from '../../harness/src/report/redact.js';
import type { StepResult } from '../../harness/src/report/model.js';

const result = (id: string, status: StepResult['status'], durationMs: number, reason?: string): StepResult => ({
  id,
  title: id === 'deploy-pod' ? 'Deploy a pod' : 'Say hello',
  module: 'hello',
  status,
  durationMs,
  attempts: 1,
  reason,
});

t.test('pending, running with its elapsed time, then the outcome, each redraw over the last', async (t) => {
  let clock = 0;
  const out: string[] = [];
  const view = new LiveSteps(
    [
      { id: 'deploy-pod', title: 'Deploy a pod' },
      { id: 'say-hello', title: 'Say hello' },
    ],
    (s) => out.push(s),
    new Redactor(),
    () => clock,
  );
  view.start('deploy-pod');
  t.same(view.lines(), ['▸ deploy-pod  Deploy a pod … 0.0s', '· say-hello   Say hello']);
  t.equal(
    out[0],
    '\r\x1b[K▸ deploy-pod  Deploy a pod … 0.0s\n\r\x1b[K· say-hello   Say hello\n',
    'the first draw moves nothing up',
  );
  clock = 2500;
  view.done(result('deploy-pod', 'pass', 2500));
  view.start('say-hello');
  clock = 14_000;
  view.done(result('say-hello', 'fail', 11_500, 'expected hello\nactual nothing'));
  view.done(result('teardown', 'pass', 300));
  view.stop();
  t.same(view.lines(), [
    '✓ deploy-pod  Deploy a pod (2.5s)',
    '✗ say-hello   Say hello (12s) — expected hello',
    '✓ teardown    Say hello (0.3s)',
  ]);
  t.ok(
    out.slice(1).every((s) => s.startsWith('\x1b[2A') || s.startsWith('\x1b[3A')),
    'every later draw first moves up over the lines drawn before',
  );
  t.ok(out.at(-1)!.startsWith('\x1b[3A'), 'the last draw covers the teardown row too');
});

t.test('redrawn only at a terminal without NO_COLOR or CI', async (t) => {
  t.equal(redraws({ isTTY: true }, {}), true);
  t.equal(redraws({ isTTY: false }, {}), false);
  t.equal(redraws({}, {}), false);
  t.equal(redraws({ isTTY: true }, { NO_COLOR: '1' }), false);
  t.equal(redraws({ isTTY: true }, { CI: 'true' }), false);
});
