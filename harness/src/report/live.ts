// The live state of each step of a run or solve, for a person at a terminal: one line per step (pending, running
// with its elapsed time, then pass, fail or skip), redrawn in place on stderr so that stdout's report stays clean.
import { visible } from '../terminal.js';
import type { PointResult } from './model.js';
import type { Redactor } from './redact.js';

/** Redraw in place only for a person at a terminal: not when piped, and not under NO_COLOR or CI. */
export const redraws = (out: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env) =>
  Boolean(out.isTTY) && !env.NO_COLOR && !env.CI;

type State = { kind: 'pending' } | { kind: 'running'; since: number } | { kind: 'done'; result: PointResult };

const MARK = { pending: '·', running: '▸', pass: '✓', fail: '✗', skip: '-' } as const;

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;

export class LiveSteps {
  private readonly rows = new Map<string, { title: string; state: State }>();
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    steps: { id: string; title: string }[],
    private readonly write: (s: string) => void,
    /** the command's: a step's reason may carry its kubeconfig's credentials */
    private readonly redactor: Redactor,
    private readonly now: () => number = Date.now,
  ) {
    for (const s of steps) this.rows.set(s.id, { title: s.title, state: { kind: 'pending' } });
  }

  start(id: string): void {
    const row = this.rows.get(id);
    if (row) row.state = { kind: 'running', since: this.now() };
    this.draw();
    // A running step's elapsed time moves on without events; unref'd so it never keeps podlab alive.
    this.timer ??= setInterval(() => this.draw(), 1000).unref();
  }

  done(r: PointResult): void {
    const row = this.rows.get(r.id) ?? { title: r.title, state: { kind: 'pending' } };
    row.state = { kind: 'done', result: r };
    this.rows.set(r.id, row);
    this.draw();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.draw();
  }

  lines(): string[] {
    const width = Math.max(0, ...[...this.rows.keys()].map((id) => visible(id).length));
    return [...this.rows].map(([raw, { title: named, state }]) => {
      const [id, title] = [visible(raw), visible(named)];
      const head = (mark: string) => `${mark} ${id.padEnd(width)}  `;
      if (state.kind === 'pending') return `${head(MARK.pending)}${title}`;
      if (state.kind === 'running') return `${head(MARK.running)}${title} … ${seconds(this.now() - state.since)}`;
      const r = state.result;
      const why = r.reason ? ` — ${visible(this.redactor.redact(r.reason).split('\n')[0]!)}` : '';
      return `${head(MARK[r.status])}${title} (${seconds(r.durationMs)})${why}`;
    });
  }

  /** Up over what was drawn before, then each line cleared and written again. */
  private draw(): void {
    const lines = this.lines();
    const up = this.drawn ? `\x1b[${this.drawn}A` : '';
    this.write(`${up}${lines.map((l) => `\r\x1b[K${l}\n`).join('')}`);
    this.drawn = lines.length;
  }
}
