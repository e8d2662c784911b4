// Issue 23, class 3: every command ends by itself, lint within its overall time limit (--timeout, exit 5) whatever
// keeps it: a scenario's top level that never finishes loading (in a child process, which must be ended with its
// process group), or podlab's own thread kept busy by a lab that is slow to parse. No cluster needed.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { front, make, ok, podlab } from '../helpers/hostile.js';

const base = t.testdir();
const processes = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });

// A scenario whose top-level code never finishes: lint loads it in a child process, which the deadline must end.
const sleeps = `sleeps-${process.pid}`;
const lintBase = join(base, 'lint');
make(lintBase, {
  'labs/lab/01-m.md': `${front(`scenarios/${sleeps}.ts`)}\n## A {#a}\n\nNothing to type.\n`,
  [`scenarios/${sleeps}.ts`]: `await new Promise((r) => setTimeout(r, 3_600_000));\n${ok}`,
});

t.test(
  'podlab lint --timeout: a lint that runs past it stops, says so, exits 5 and leaves no loader behind',
  async (t) => {
    const r = await podlab(['lint', 'labs/lab', '--timeout', '2'], lintBase, { PODLAB_SCENARIO_TIMEOUT: '3600' });
    t.equal(r.exitCode, 5, 'exit 5 (the time limit)');
    t.match(r.stderr, /podlab lint: stopped after 2 s \(--timeout 2\) while linting labs\/lab/, 'says what and where');
    t.notMatch(r.stderr, /^\s+at /m, 'no stack trace');
    t.notMatch(processes(), new RegExp(`${sleeps}-[0-9a-f]+\\.mjs`), "the scenario's loader child is gone");
  },
);

t.test('podlab lint --timeout out of range is a usage error naming the option', async (t) => {
  for (const bad of ['0', '86401', 'soon']) {
    const r = await podlab(['lint', 'labs/lab', '--timeout', bad], lintBase);
    t.equal(r.exitCode, 2, `--timeout ${bad}: usage`);
    t.match(r.stderr, /--timeout <seconds>/, 'the error names the option');
  }
});

// A lab that keeps podlab's own thread busy: lint reads and parses all of a lab's modules in one synchronous
// stretch, no await between them, and a MiB module of `[` takes 1-2 s to parse (linearly: markdown-it tries each
// bracket as a link). 100 such modules (hard links to one file: one MiB on disk) are minutes of work during
// which no timer of that thread can fire. Before lint's work moved to a worker thread, --timeout 1 was only seen
// after the whole stretch: 20 modules ended with exit 2 after 42 s, and these 100 outlast the 60 s podlab() waits.
const busyBase = join(base, 'busy');
const busy = `busy-${process.pid}`;
make(busyBase, { [`scenarios/${busy}.ts`]: ok });
const module = `${front(`scenarios/${busy}.ts`)}\n## A {#a}\n\n`;
const moduleFile = join(busyBase, 'module.md');
writeFileSync(moduleFile, module + '['.repeat(1024 * 1024 - module.length - 1) + '\n');
mkdirSync(join(busyBase, 'labs/busy'), { recursive: true });
for (let i = 100; i < 200; i++) linkSync(moduleFile, join(busyBase, `labs/busy/${i}-m.md`));

t.test(
  'podlab lint --timeout holds while podlab itself is busy: a lab slow to parse stops at it, exit 5',
  async (t) => {
    const r = await podlab(['lint', 'labs/busy', '--timeout', '1'], busyBase);
    t.equal(r.exitCode, 5, 'exit 5 (the time limit), not the lint of 100 modules long after it');
    t.match(r.stderr, /podlab lint: stopped after 1 s \(--timeout 1\) while linting labs\/busy/, 'says what and where');
    t.notMatch(r.stderr, /^\s+at /m, 'no stack trace');
    t.notMatch(processes(), new RegExp(`${busy}|lint labs/busy`), 'no loader nor podlab left running');
  },
);
