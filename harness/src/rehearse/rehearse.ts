// `podlab rehearse`: a dress rehearsal of a room on the cluster in hand. `room up` with a prefix of its own; then every
// attendee types the lab as written at the same time, each in a shell of its own with its own kubeconfig (so the
// room's RBAC, quota and admission policy are what is tested), while the grader grades the room with its identity;
// then `room down`, whatever happened. Each attendee pauses before the lab's last step (its clean-up) until the
// grader has seen it as it stands, since that step deletes what the grader checks.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../plan/plan.js';
import type { Platform } from '../plan/blocks.js';
import { Cluster } from '../k8s/cluster.js';
import { credentialsOf, loadKubeConfig } from '../k8s/kubeconfig.js';
import { describeError } from '../k8s/retry.js';
import type { Redactor } from '../report/redact.js';
import type { RunResult, StepResult, TeardownResult } from '../report/model.js';
import { runLab } from '../runner/run.js';
import type { RoomDesign } from '../room/build.js';
import type { GraderAccount } from '../room/grader.js';
import type { RoomSpec } from '../room/names.js';
import { roomUp } from '../room/up.js';
import { roomDown } from '../room/down.js';
import { causeOf, unschedulablePods } from './causes.js';
import { Grading, missingCells } from './grading.js';
import { roomResult, type AttendeeRun } from './stats.js';

export interface RehearseOptions {
  /** the instructor's (admin) connection: room up and down, and the pods a failure is explained by */
  admin: Cluster;
  spec: RoomSpec;
  design: RoomDesign;
  grader: GraderAccount;
  /** where the room's kubeconfigs and the grader's progress record go (removed by room down) */
  dir: string;
  platform: Platform;
  sandbox?: string;
  signal: AbortSignal;
  graderIntervalMs: number;
  /** an attendee's step result, as it comes */
  onStep?: (attendee: string, s: StepResult) => void;
  /** the command's: learns the room's tokens and every kubeconfig's credentials */
  redactor: Redactor;
}

export async function rehearse(plan: Plan, o: RehearseOptions): Promise<RunResult> {
  const startedAt = new Date();
  let runs: AttendeeRun[] = [];
  let missing: string[] = ['(the room did not come up)'];
  let passes = 0;
  let failure: string | undefined;
  try {
    const up = await roomUp(o.admin, o.spec, o.design, {
      dir: o.dir,
      seconds: 3600,
      grader: o.grader,
      redactor: o.redactor,
    });
    const grading = new Grading(plan, {
      kubeconfig: up.grader.file,
      namespaces: o.spec.attendees.map((a) => a.namespace),
      record: join(o.dir, 'grader', 'progress.jsonl'),
      intervalMs: o.graderIntervalMs,
      signal: o.signal,
      redactor: o.redactor,
    });
    grading.start();
    runs = await Promise.all(up.kubeconfigs.map((k) => attendeeRun(plan, k, grading, o)));
    const matrix = await grading.finish();
    missing = missingCells(matrix, o.spec.attendees.length);
    passes = grading.passes;
  } catch (err) {
    failure = describeError(err);
  }
  const teardown = await tearDown(o);
  return roomResult({
    lab: plan.lab.id,
    room: o.spec.room,
    sandbox: o.sandbox,
    platform: o.platform,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    runs,
    matrixMissing: missing,
    graderPasses: passes,
    teardown,
    interrupted: o.signal.aborted ? String((o.signal.reason as Error)?.message ?? o.signal.reason) : failure,
  });
}

/** One attendee: the lab as written up to its last step, a grading pass, then the last step; causes of failures. */
async function attendeeRun(
  plan: Plan,
  k: { attendee: string; namespace: string; file: string },
  grading: Grading,
  o: RehearseOptions,
): Promise<AttendeeRun> {
  const kc = loadKubeConfig({ kubeconfig: k.file });
  credentialsOf(kc).forEach((c) => o.redactor.add(c));
  const cluster = new Cluster(kc);
  const run: AttendeeRun = { attendee: k.attendee, namespace: k.namespace, result: undefined!, causes: {} };
  const explained: Array<Promise<void>> = [];
  const onStep = (s: StepResult) => {
    o.onStep?.(k.attendee, s);
    if (s.status !== 'fail') return;
    explained.push(
      unschedulablePods(o.admin, k.namespace).then((pods) => {
        run.causes[s.id] = causeOf(s, pods);
      }),
    );
  };
  // the last step on its own: a plan of that step alone, so that nothing before it is typed again
  const solve = (part: Plan) =>
    runLab(part, {
      cluster,
      kubeconfigPath: k.file,
      mode: 'solve',
      namespace: k.namespace,
      platform: o.platform,
      signal: o.signal,
      onStep,
    });
  const first = await solve({ ...plan, steps: plan.steps.slice(0, -1) });
  await grading.passAfter();
  const last = await solve({ ...plan, steps: plan.steps.slice(-1) });
  await Promise.all(explained);
  run.result = { ...first, steps: [...first.steps, ...last.steps], durationMs: first.durationMs + last.durationMs };
  return run;
}

/** room down, always: a leftover is a failed teardown, as in a run. */
async function tearDown(o: RehearseOptions): Promise<TeardownResult> {
  const started = Date.now();
  const point = { id: 'teardown', title: `room down: room ${o.spec.room}`, attempts: 1 };
  try {
    const r = await roomDown(o.admin, { lab: o.spec.lab, room: o.spec.room }, { grader: o.grader, dir: o.dir });
    rmSync(o.dir, { recursive: true, force: true });
    return {
      ...point,
      status: 'pass',
      durationMs: Date.now() - started,
      evidence: { namespaces: r.namespaces, graderKeptFor: r.graderKeptFor },
    };
  } catch (err) {
    return { ...point, status: 'fail', reason: describeError(err), durationMs: Date.now() - started };
  }
}
