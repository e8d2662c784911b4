// The room rehearsed: `podlab rehearse pod-sandboxing` at the size `room plan` says this cluster holds, every
// attendee typing the lab at once with its own kubeconfig while the grader grades. Its row says how long the room
// took beside one attendee alone, whether every step passed for everyone and the final matrix was full, and the
// slowest step's p95.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../harness/src/report/model.js';
import { planOf } from '../harness/src/cli/common.js';
import { planRoom, maxAttendees } from '../harness/src/room/room-plan.js';
import type { Row } from './table.js';
import { cluster, log, podlabBin, timed, work } from './setup.js';

/** The room's size: what the plan says this cluster holds. */
async function plannedSize(): Promise<number> {
  const plan = await planOf('pod-sandboxing');
  if (!plan) throw new Error('the pod-sandboxing lab does not plan');
  return maxAttendees(await planRoom(plan, { cluster }));
}

export async function rehearsal(alone: RunResult | undefined): Promise<Row[]> {
  const n = await plannedSize();
  const out = join(work, 'rehearsal.json');
  log(`podlab rehearse pod-sandboxing --attendees ${n} (the planned size)`);
  const t = await timed([
    'node',
    podlabBin,
    'rehearse',
    'pod-sandboxing',
    '--attendees',
    String(n),
    '--reporter',
    'json',
    '--output',
    out,
  ]);
  const r = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
  const steps = r.steps.filter((s) => s.evidence?.attendees !== undefined);
  const full = steps.filter((s) => s.evidence?.passes === s.evidence?.attendees).length;
  const slowest = [...steps].sort((a, b) => Number(b.evidence?.p95_ms) - Number(a.evidence?.p95_ms))[0];
  const matrix = r.steps.find((s) => s.id === 'final-matrix');
  log(
    `rehearse: ${(t.wallMs / 1000).toFixed(1)} s wall, exit ${t.r.exitCode}, ${full}/${steps.length} steps passed by all`,
  );
  return [
    {
      what: `Pod Sandboxing rehearsed by ${n} attendees at once (the planned size), each with its own kubeconfig, graded live; room up and down included`,
      podlab: `${(t.wallMs / 1000).toFixed(1)} s; ${full}/${steps.length} steps passed by all ${n}; ${matrix?.title ?? 'no matrix'}${matrix?.status === 'pass' ? '' : ' (not full)'}; slowest p95 ${slowest?.id} ${(Number(slowest?.evidence?.p95_ms) / 1000).toFixed(1)} s`,
      baseline: alone ? `${(alone.durationMs / 1000).toFixed(1)} s (one \`podlab run\` alone)` : '',
      ratio: alone ? t.wallMs / alone.durationMs : undefined,
      target: 'every step by all, matrix full',
      met: t.r.exitCode === 0 && r.ok,
    },
  ];
}
