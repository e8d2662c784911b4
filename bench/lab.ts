// The lab itself: Pod Sandboxing run by podlab as written (its text typed) and through the scenario API, beside
// the kubectl + bash script that does the same, in turns; then the rows of the table, with podlab's own CPU share.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../harness/src/report/model.js';
import { median, type Row } from './table.js';
import { log, podlabBin, rounds, timed, work } from './setup.js';

type Via = 'text' | 'scenario';
type PodlabRun = { wallMs: number; cpuMs: number; report: RunResult };

/** One `podlab run` of the lab, with its JSON report. */
async function runPodlab(via: Via): Promise<PodlabRun> {
  const out = join(work, 'run.json');
  const t = await timed([
    'node',
    podlabBin,
    'run',
    'pod-sandboxing',
    '--via',
    via,
    '--reporter',
    'json',
    '--output',
    out,
  ]);
  if (t.r.exitCode !== 0)
    throw new Error(`podlab run pod-sandboxing --via ${via} failed (exit ${t.r.exitCode}):\n${t.r.stderr}`);
  const report = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
  log(`podlab run --via ${via}: ${(t.wallMs / 1000).toFixed(1)} s wall, ${(t.cpuMs / 1000).toFixed(2)} s CPU`);
  return { ...t, report };
}

/** One run of the kubectl + bash script: its wall time. */
async function runBash(): Promise<number> {
  const t = await timed(['bash', 'bench/baseline/pod-sandboxing.sh']);
  if (t.r.exitCode !== 0)
    throw new Error(`the kubectl + bash baseline failed (exit ${t.r.exitCode}):\n${t.r.stdout}\n${t.r.stderr}`);
  log(`kubectl + bash: ${(t.wallMs / 1000).toFixed(1)} s wall`);
  return t.wallMs;
}

/** The last as-written run, for the rows that compare with one attendee alone (bench/rehearsal.ts). */
export const lastRun: { asWritten?: RunResult } = {};

export async function lab(): Promise<Row[]> {
  const podlab: Record<Via, PodlabRun[]> = { text: [], scenario: [] };
  const bash: number[] = [];
  // The order turns every round, so that a cluster warming up or slowing down weighs on all three alike.
  const runs = [
    async () => podlab.text.push(await runPodlab('text')),
    async () => bash.push(await runBash()),
    async () => podlab.scenario.push(await runPodlab('scenario')),
  ];
  for (let i = 0; i < rounds; i++) {
    for (let j = 0; j < runs.length; j++) await runs[(i + j) % runs.length]!();
  }
  const wall = (via: Via) => median(podlab[via].map((p) => p.wallMs));
  const base = median(bash);
  const text = podlab.text;
  // Its own process only: the kubectl commands of the lab's text are the attendee's work, not podlab's.
  const own = (p: (typeof text)[number]) => p.report.cpuMs ?? p.cpuMs;
  const share = median(text.map((p) => own(p) / p.wallMs));
  const last = text.at(-1)!.report;
  lastRun.asWritten = last;
  const calls = last.api ? `${last.api.requests} requests, ${last.api.watches} watches, ${last.api.execs} execs` : '';
  return [
    {
      what: `Pod Sandboxing lab as written: its text typed into one shell, then each check (median of ${text.length})`,
      podlab: `${(wall('text') / 1000).toFixed(1)} s`,
      baseline: `${(base / 1000).toFixed(1)} s`,
      ratio: wall('text') / base,
      target: '≤ 1.1×',
      met: wall('text') / base <= 1.1,
    },
    {
      what: `Pod Sandboxing lab through the scenario API (\`--via scenario\`, median of ${podlab.scenario.length})`,
      podlab: `${(wall('scenario') / 1000).toFixed(1)} s`,
      baseline: `${(base / 1000).toFixed(1)} s`,
      ratio: wall('scenario') / base,
      target: '≤ 0.6×',
      met: wall('scenario') / base <= 0.6,
    },
    {
      what: "podlab's own CPU time as a share of the as-written run's wall time",
      podlab: `${(median(text.map(own)) / 1000).toFixed(2)} s CPU`,
      baseline: `${calls}`,
      ratio: undefined,
      share,
      target: '≤ 5%',
      met: share <= 0.05,
    },
  ];
}
