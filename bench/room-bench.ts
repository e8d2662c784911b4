// The room-grading rows alone (`node dist/bench/room-bench.js`): what `npm run bench` measures last, for a run
// that fits one hold of a shared cluster.
import { rmSync } from 'node:fs';
import { markdownTable } from './table.js';
import { work } from './setup.js';
import { activeRoom, bigRoom } from './room-grading.js';

// PODLAB_BENCH_ROWS=active or big: one half, each within one hold of a shared cluster (both by default)
const rows = process.env.PODLAB_BENCH_ROWS ?? 'active,big';

try {
  process.stdout.write(
    `\n${markdownTable([
      ...(rows.includes('active') ? await activeRoom() : []),
      ...(rows.includes('big') ? await bigRoom() : []),
    ])}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(0); // the graders' watches are stopped; client keep-alive sockets need not hold the process
