// How check and grade apply the progress record to a pass of checks (pure logic over a journal file):
// done earlier, prerequisites, and a step seen skipped that stays skipped once its pods are gone.
import t from 'tap';
import { join } from 'node:path';
import { Journal } from '../../harness/src/progress/journal.js';
import { Progress } from '../../harness/src/runner/progress.js';
import type { PlannedStep } from '../../harness/src/plan/plan.js';
import type { StepResult } from '../../harness/src/report/model.js';

const ana = { cluster: 'https://127.0.0.1:6443', namespace: 'attendee-ana', uid: 'uid-1' };
const steps = [
  { step: { id: 'deploy', after: [] } },
  { step: { id: 'policy', after: ['deploy'] } },
  { step: { id: 'clean-up', after: ['deploy', 'policy'] } },
] as unknown as PlannedStep[];
const result = (id: string, status: StepResult['status'], reason?: string): StepResult => ({
  id,
  title: id,
  module: 'm',
  status,
  attempts: 1,
  durationMs: 1,
  reason,
});

/** One grading pass: the results in lab order through the record, then saved. */
function pass(journal: Journal, results: StepResult[]): Record<string, string> {
  const p = new Progress({ journal, cluster: ana.cluster }, ana, 'lab', steps);
  const out = results.map((r) => p.apply(r));
  p.save();
  return Object.fromEntries(out.map((r) => [r.id, r.earlier ? 'earlier' : r.status]));
}

t.test('a step seen skipped stays skipped after clean-up, and does not block the steps that need it', async (t) => {
  const journal = new Journal(join(t.testdir(), 'progress.jsonl'));
  const first = pass(journal, [
    result('deploy', 'pass'),
    result('policy', 'skip', 'no NetworkPolicy engine'),
    result('clean-up', 'fail'),
  ]);
  t.same(first, { deploy: 'pass', policy: 'skip', 'clean-up': 'fail' });
  t.match(
    journal.firstSkipped(ana, 'lab', 'policy'),
    { skipped: 'no NetworkPolicy engine' },
    'the skip is recorded with its reason',
  );
  t.equal(journal.firstDone(ana, 'lab', 'policy'), undefined, 'a skip is not a done');
  // The attendee deletes the pods: deploy and policy fail now; clean-up passes.
  const after = pass(new Journal(journal.path), [
    result('deploy', 'fail'),
    result('policy', 'fail'),
    result('clean-up', 'pass'),
  ]);
  t.same(after, { deploy: 'earlier', policy: 'skip', 'clean-up': 'pass' });
});

t.test('without the record the same pass after clean-up gives no credit and blocks clean-up', async (t) => {
  const p = new Progress({ cluster: ana.cluster }, ana, 'lab', steps);
  const out = [result('deploy', 'fail'), result('policy', 'fail'), result('clean-up', 'pass')].map((r) => p.apply(r));
  t.same(
    out.map((r) => r.status),
    ['fail', 'fail', 'fail'],
  );
  t.match(out[2]!.hint, /first do deploy, policy/);
});

t.test(
  'a skip is recorded only once its prerequisites are done, and a later pass is still recorded as done',
  async (t) => {
    const journal = new Journal(join(t.testdir(), 'progress.jsonl'));
    pass(journal, [result('deploy', 'fail'), result('policy', 'skip', 'no engine'), result('clean-up', 'fail')]);
    t.equal(
      journal.firstSkipped(ana, 'lab', 'policy'),
      undefined,
      'deploy not done: the skip says nothing about the attendee',
    );
    pass(journal, [result('deploy', 'pass'), result('policy', 'skip', 'no engine'), result('clean-up', 'fail')]);
    t.ok(journal.firstSkipped(ana, 'lab', 'policy'));
    const later = pass(journal, [result('deploy', 'pass'), result('policy', 'pass'), result('clean-up', 'fail')]);
    t.same(later, { deploy: 'pass', policy: 'pass', 'clean-up': 'fail' });
    t.ok(journal.firstDone(ana, 'lab', 'policy'), 'passing after a skip is recorded as done');
  },
);
