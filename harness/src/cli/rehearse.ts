// podlab rehearse: a dress rehearsal of a room (harness/src/rehearse/), from the command line. Refuses a room larger
// than the cluster holds before anything is made; the report is the run's (TAP, JUnit or JSON) over the whole room.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Platform } from '../plan/blocks.js';
import type { ClusterTarget } from '../k8s/kubeconfig.js';
import type { RunResult } from '../report/model.js';
import { toJUnit } from '../report/junit.js';
import { toJson } from '../report/json.js';
import { toTap } from '../report/tap.js';
import { stepStatusLine } from '../report/text.js';
import { sandboxFor } from '../runner/platform.js';
import { roomSpec } from '../room/names.js';
import { designRoom } from '../room/build.js';
import { DEFAULT_GRADER } from '../room/grader.js';
import { planRoom, roomPlatform } from '../room/room-plan.js';
import { refusal } from '../room/plan-text.js';
import { rehearse } from '../rehearse/rehearse.js';
import { connect, interruptible, planOf } from './common.js';
import { ResultsOut } from './results-file.js';
import { EXIT, type Outcome } from './exit.js';
import type { Redactor } from '../report/redact.js';

interface RehearseFlags extends ClusterTarget {
  attendees: number;
  prefix?: string;
  platform?: Platform;
  reporter: 'tap' | 'junit' | 'json';
  output?: string;
  gradeInterval: number;
}

const render = (r: RunResult, reporter: RehearseFlags['reporter'], redactor: Redactor) =>
  reporter === 'junit' ? toJUnit(r, redactor) : reporter === 'json' ? toJson(r, redactor) : toTap(r, redactor);

export async function rehearseCommand(labArg: string, opts: RehearseFlags, redactor: Redactor): Promise<Outcome> {
  const plan = await planOf(labArg);
  if (!plan) return EXIT.usage;
  const { cluster } = connect(opts, redactor);
  const sandbox = await sandboxFor(cluster, undefined); // unreachable: exit 3 before anything
  const platform = await roomPlatform(cluster, sandbox, opts.platform);
  // a prefix of its own: a rehearsal never touches a room of the same lab, nor another rehearsal
  const spec = roomSpec(plan.lab.id, {
    attendees: opts.attendees,
    prefix: opts.prefix ?? `rehearse-${randomBytes(3).toString('hex')}-`,
  });
  const design = designRoom(spec, plan, { platform, sandbox, grader: DEFAULT_GRADER });
  // what `room plan` says this cluster holds; a rehearsal has no --force: it rehearses a room that can happen
  const refused = refusal(await planRoom(plan, { cluster, sandbox, platform }), spec.attendees.length);
  if (refused) {
    console.error(`podlab rehearse: ${refused.replace(/; --force.*$/, '')}`);
    return EXIT.capacity;
  }
  console.error(
    `podlab rehearse: room ${spec.room}, ${spec.attendees.length} attendee(s) typing ${plan.lab.id} at once (platform ${platform}), graded every ${opts.gradeInterval} s`,
  );
  const r = await rehearse(plan, {
    admin: cluster,
    spec,
    design,
    grader: DEFAULT_GRADER,
    dir: join(tmpdir(), `podlab-${spec.room}`),
    platform,
    sandbox: sandbox?.name,
    signal: interruptible().signal,
    graderIntervalMs: opts.gradeInterval * 1000,
    onStep: (attendee, s) => console.error(`${attendee}: ${stepStatusLine(s, redactor)}`),
    redactor,
  });
  const out = new ResultsOut();
  out.write(opts.output, render(r, opts.reporter, redactor), 'report');
  for (const s of r.steps) {
    const e = s.evidence as { passes?: number; attendees?: number; p50_ms?: number; p95_ms?: number } | undefined;
    if (e?.attendees !== undefined)
      console.error(
        `podlab rehearse: ${s.id.padEnd(24)} ${e.passes}/${e.attendees} passed, p50 ${((e.p50_ms ?? 0) / 1000).toFixed(1)} s, p95 ${((e.p95_ms ?? 0) / 1000).toFixed(1)} s${s.reason ? ` (${s.reason})` : ''}`,
      );
  }
  return out.exit(r.ok ? EXIT.ok : EXIT.failed);
}
