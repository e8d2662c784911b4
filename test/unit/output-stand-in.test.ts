// Whose output blocks a run compares: on a stand-in (gVisor behind AKS's names) the platform's own blocks show a
// runtime that is not there, so they are left alone and said so; a block for every platform is still compared.
import t from 'tap';
import { checkOutputs } from '../../harness/src/runner/outputs.js';
import { parseExpected } from '../../harness/src/plan/output-patterns.js';
import type { PlannedBlock } from '../../harness/src/plan/plan.js';
import type { Platform } from '../../harness/src/plan/blocks.js';
import type { BlockOutcome } from '../../harness/src/shell/session.js';

const shell = { lang: 'bash', attrs: {}, content: 'uname -r', pos: { file: '/lab/03.md', line: 5, col: 1 } };
const output = (line: number, platforms: Platform[], content: string) => ({
  block: { lang: 'text', attrs: {}, content, pos: { file: '/lab/03.md', line, col: 1 } },
  platforms,
  lines: parseExpected(content),
});
const block = {
  ...shell,
  fate: { kind: 'run', platforms: ['local', 'aks', 'other'] },
  outputs: [output(9, ['aks'], '6.6.[..].azl3\n'), output(14, ['local', 'aks', 'other'], '\\S+ (re)\n')],
} as unknown as PlannedBlock;
const ran: BlockOutcome = { at: '03.md:5', exitCode: 0, stdout: '4.4.0\n', stderr: '', durationMs: 1 };

t.test('on AKS itself, the AKS block is compared and a mismatch fails the step', async (t) => {
  const r = checkOutputs(block, ran, { platform: 'aks', root: '/lab' });
  t.match(r.failure?.message, /^03\.md:9: the output differs from this output block/);
  t.same(
    r.evidence.map((e) => [e.output, e.matches]),
    [
      ['03.md:9', false],
      ['03.md:14', true],
    ],
  );
});

t.test('on a stand-in, the AKS block is not compared, with the reason; the block for every platform is', async (t) => {
  const standIn = 'profile aks-kata-podlab: gVisor stands in';
  const r = checkOutputs(block, ran, { platform: 'aks', root: '/lab', standIn });
  t.equal(r.failure, undefined);
  t.same(r.evidence, [
    { output: '03.md:9', compared: false, reason: standIn },
    { output: '03.md:14', matches: true },
  ]);
});

t.test("kubectl's own log lines on stderr are not compared: no output block could foresee them", async (t) => {
  const noisy = {
    ...ran,
    stdout: '4.4.0',
    stderr: 'E1205 13:58:02.123456   4242 websocket.go:296] Unknown stream id 1, discarding message\n',
  };
  const r = checkOutputs(block, noisy, { platform: 'local', root: '/lab' });
  t.same(r.evidence, [{ output: '03.md:14', matches: true }]);
  const other = { ...noisy, stderr: 'Error from server (NotFound): pods "x" not found\n' };
  t.match(checkOutputs(block, other, { platform: 'local', root: '/lab' }).failure?.message, /03\.md:14/);
});
