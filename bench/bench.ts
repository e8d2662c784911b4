// `npm run bench`: podlab measured side by side with what a workshop team would otherwise write (kubectl +
// bash), in one run on one cluster, printed as one table. Figures, not assertions: nothing here fails on a
// slow machine; a target missed is printed as such.
//
//   node dist/bench/bench.js [--rounds N] [--attendees N] [--record docs/performance.md]
import { cpus, totalmem, release } from 'node:os';
import { rmSync } from 'node:fs';
import { execa } from 'execa';
import { markdownTable, median, recordTable, type Row } from './table.js';
import { flags, log, podlabBin, root, timed, work } from './setup.js';
import { lab, lastRun } from './lab.js';
import { rehearsal } from './rehearsal.js';
import { grading } from './grading.js';
import { activeRoom, bigRoom } from './room-grading.js';

async function startup(): Promise<Row> {
  const podlab: number[] = [];
  const kubectl: number[] = [];
  for (let i = 0; i < 10; i++) {
    podlab.push((await timed(['node', podlabBin, '--help'])).wallMs);
    kubectl.push((await timed(['kubectl', '--help'])).wallMs);
  }
  return {
    what: '`podlab --help` start-up (median of 10)',
    podlab: `${median(podlab).toFixed(0)} ms`,
    baseline: `${median(kubectl).toFixed(0)} ms (\`kubectl --help\`)`,
    ratio: median(podlab) / median(kubectl),
  };
}

async function machine(): Promise<string> {
  const commit =
    (await execa('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, reject: false })).stdout || 'unknown';
  return (
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit}; ${cpus().length} × ${cpus()[0]?.model.trim()}, ` +
    `${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}; embedded cluster (Kubernetes v1.32.2, gVisor), Node ${process.version}`
  );
}

try {
  const rows = [
    await startup(),
    ...(await lab()),
    ...(await rehearsal(lastRun.asWritten)),
    ...(await grading()),
    ...(await activeRoom()),
    ...(await bigRoom()),
  ];
  const table = markdownTable(rows);
  const where = await machine();
  process.stdout.write(`\n${table}\n${where}\n`);
  if (flags.record) {
    recordTable(flags.record, table, where);
    log(`recorded in ${flags.record}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
