// The one bound on text from outside (issue 23, class 1): a pod's output and a check's result keep their head and
// tail and say how much was cut, whatever their size or shape.
import t from 'tap';
import { BoundedText, clip, clipValue } from '../../harness/src/bounded-text.js';
import { asCheckResult, fail, RESULT_FIELD_MAX } from '../../harness/src/scenario/results.js';

t.test('a stream keeps its head and tail, and counts what it cut', async (t) => {
  const b = new BoundedText(4, 3);
  for (const chunk of ['ab', 'cdef', 'ghij', 'k', 'lmn']) b.write(Buffer.from(chunk));
  t.equal(b.seen, 14);
  t.equal(b.cut, 7);
  t.equal(b.toString(), 'abcd\n[… podlab cut 7 bytes here …]\nlmn');
  const small = new BoundedText(4, 3);
  small.write(Buffer.from('abcdefg'));
  t.equal(small.toString(), 'abcdefg', 'nothing cut: no note');
});

t.test('10 MB of `yes` keeps 64 KiB', async (t) => {
  const b = new BoundedText(32 * 1024, 32 * 1024);
  const chunk = Buffer.from('y\n'.repeat(32 * 1024));
  for (let i = 0; i < 160; i++) b.write(chunk);
  t.ok(b.toString().length < 66 * 1024);
  t.match(b.toString(), /podlab cut 10420224 bytes here/);
});

t.test("a check's result is bounded in every field, whatever it returned", async (t) => {
  const huge = 'x'.repeat(10_000_000);
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const r = asCheckResult({ status: 'fail', actual: huge, expected: { deep: [huge] }, evidence: { cyclic } });
  const json = JSON.stringify(r);
  t.ok(json.length < 5 * RESULT_FIELD_MAX, `${json.length} characters`);
  t.match(json, /podlab cut \d+ characters here/);
  t.ok(JSON.stringify(fail({ actual: huge, hint: huge })).length < 3 * RESULT_FIELD_MAX);
  t.equal(clip('short', 10), 'short');
  t.same(clipValue(new Date(0), 100), '1970-01-01T00:00:00.000Z', 'toJSON is honoured');
  const many = clipValue(
    Array.from({ length: 1000 }, (_, i) => i),
    100,
  ) as unknown[];
  t.equal(many.length, 65);
  const bare = asCheckResult({ status: 'bogus', blob: huge });
  t.ok(JSON.stringify(bare).length < 2 * RESULT_FIELD_MAX, 'even what is not a result is quoted bounded');
});
