// The hostile corpus's kit: a lab project written from a table of files (symlinks, FIFOs, sparse files too), the
// scenario and front matter those projects share, and one check per case through the CLI: its exit code, the
// file:line it names, no stack trace, and (where given) how soon it ended.
import type { Test } from 'tap';
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
export const ok =
  "import { defineScenario, step } from 'podlab/scenario';\n" +
  "export default defineScenario('m', [step({ id: 'a', title: 'a', check: async () => ({ status: 'pass' as const }) })]);\n";
export const front = (scenario = 'scenarios/s.ts', extra = '') =>
  `---\ntitle: T\nid: m\nscenario: ${scenario}\n${extra}---\n`;
export const applying = (path: string) => `${front()}\n## A {#a}\n\n\`\`\`bash\nkubectl apply -f ${path}\n\`\`\`\n`;
export const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n';

export type Entry = string | { symlink: string } | { fifo: true } | { sparse: number };
export interface Case {
  name: string;
  files: Record<string, Entry>;
  code: number;
  /** what stderr must name: file:line:col, or the message where no file has a line */
  at: RegExp;
  args?: string[];
  env?: Record<string, string>;
  /** the longest the command may take (a hung scenario or a FIFO must not hang podlab) */
  withinMs?: number;
}

export function make(dir: string, files: Record<string, Entry>): void {
  for (const [rel, entry] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof entry === 'string') writeFileSync(path, entry);
    else if ('symlink' in entry) symlinkSync(entry.symlink, path);
    else if ('fifo' in entry) execFileSync('mkfifo', [path]);
    else {
      writeFileSync(path, '');
      truncateSync(path, entry.sparse); // sparse: no real bytes written
    }
  }
}

export const podlab = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  execa(process.execPath, [`${repo}bin/podlab.js`, ...args], { reject: false, cwd, env, timeout: 60_000 });

/** Each case in its own project under `base`, through the CLI. */
export async function checkCases(t: Test, base: string, cases: Case[]): Promise<void> {
  for (const c of cases) {
    const dir = join(base, c.name);
    mkdirSync(dir, { recursive: true });
    make(dir, c.files);
    const started = Date.now();
    const r = await podlab(c.args ?? ['lint', 'labs/lab'], dir, c.env);
    const took = Date.now() - started;
    t.equal(r.exitCode, c.code, `${c.name} exits ${c.code}`);
    t.match(r.stderr, c.at, `${c.name} names ${c.at.source}`);
    t.notMatch(`${r.stdout}\n${r.stderr}`, /\n {4}at /, `${c.name}: no stack trace`);
    if (c.withinMs) t.ok(took < c.withinMs, `${c.name} ended in ${took} ms`);
  }
}
