// Every reporter redacts with the Redactor it is handed, the command's: a secret that no pattern catches (a
// kubeconfig's token, known by value) is gone from each output when its redactor knows it, and there, untouched,
// when the reporter is handed a redactor that does not: what redacts it is the value passed, not state elsewhere.
import t from 'tap';
import { Redactor } from '../../harness/src/report/redact.js';
import { RunTap, tapPoint, toTap } from '../../harness/src/report/tap.js';
import { toJson } from '../../harness/src/report/json.js';
import { toJUnit } from '../../harness/src/report/junit.js';
import { solveLine, stepStatusLine, toText } from '../../harness/src/report/text.js';
import { LiveSteps } from '../../harness/src/report/live.js';
import { pageProgress } from '../../harness/src/serve/lab-progress.js';
import { serveScoreboard } from '../../harness/src/grade/serve.js';
import { onePassAtATime } from '../../harness/src/grade/live.js';
import type { RunResult, StepResult } from '../../harness/src/report/model.js';
import { get, matrix } from '../helpers/board.js';

const SECRET = 'plainLookingCredential4242';
const said = `the API said ${SECRET}`;

const step: StepResult = {
  id: 'deploy',
  title: 'Deploy',
  module: 'm',
  status: 'fail',
  reason: said,
  expected: 'Running',
  actual: said,
  hint: said,
  attempts: 1,
  durationMs: 5,
  evidence: { blocks: [{ at: '01.md:3', exit: 1, stdout: said, stderr: said }] },
};
const run: RunResult = {
  lab: 'l',
  runId: 'r',
  namespace: 'ns',
  mode: 'run',
  startedAt: '2026-12-06T03:00:00.000Z',
  durationMs: 5,
  retries: [],
  ok: false,
  steps: [step],
  interrupted: said,
  teardown: { id: 'teardown', title: 'teardown', status: 'fail', reason: said, attempts: 1, durationMs: 1 },
};

/** Each reporter's output for this run, made with `redactor`. */
async function outputs(redactor: Redactor): Promise<Record<string, string>> {
  let streamed = '';
  const tap = new RunTap((s) => (streamed += s), redactor);
  tap.start(run);
  tap.step(step);
  tap.end(run);
  let live = '';
  const view = new LiveSteps(
    [step],
    (s) => (live += s),
    redactor,
    () => 0,
  );
  view.done(step);
  view.stop();
  return {
    toTap: toTap(run, redactor),
    RunTap: streamed,
    tapPoint: tapPoint(1, { ok: false, name: said, diag: { detail: said } }, redactor).join('\n'),
    toJson: toJson(run, redactor),
    toJUnit: toJUnit(run, redactor),
    toText: toText(run, redactor),
    stepStatusLine: stepStatusLine(step, redactor),
    solveLine: solveLine(step, redactor),
    LiveSteps: live,
    pageProgress: JSON.stringify(pageProgress(run, redactor)),
    scoreboard: await scoreboard(redactor),
    onePassAtATime: await failedPass(redactor),
  };
}

/** What the scoreboard serves of a matrix that carries the secret. */
async function scoreboard(redactor: Redactor): Promise<string> {
  const board = await serveScoreboard('127.0.0.1:0', { log: () => {}, redactor });
  try {
    board.publish(matrix([said], 1));
    return (await get(board, '/matrix.json')).body;
  } finally {
    await board.close();
  }
}

/** What grade --watch and check --watch say on stderr when a pass fails with the secret in its message. */
async function failedPass(redactor: Redactor): Promise<string> {
  const lines: string[] = [];
  const error = console.error;
  console.error = (...a: unknown[]) => void lines.push(a.join(' '));
  try {
    let failed!: () => void;
    const done = new Promise<void>((resolve) => (failed = resolve));
    const pass = async () => {
      setImmediate(failed);
      throw new Error(said);
    };
    onePassAtATime(pass, new AbortController().signal, 'podlab grade: regrading failed', redactor)();
    await done;
    return lines.join('\n');
  } finally {
    console.error = error;
  }
}

t.test('every reporter redacts the secret its redactor knows', async (t) => {
  for (const [reporter, out] of Object.entries(await outputs(new Redactor().add(SECRET)))) {
    t.notMatch(out, SECRET, `${reporter}: no secret`);
    t.match(out, '[redacted]', `${reporter}: redacted in its place`);
  }
});

t.test("a reporter handed another command's redactor does not know this secret", async (t) => {
  for (const [reporter, out] of Object.entries(await outputs(new Redactor().add('anotherCommandsToken77')))) {
    t.match(out, SECRET, `${reporter}: the secret is left as it is`);
  }
});
