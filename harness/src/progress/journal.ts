// The progress record: an append-only journal of the steps each attendee was seen to have done. One JSON
// line per step first seen done; no server. Appends are single write() calls to a file opened O_APPEND,
// so concurrent graders do not interleave; each record starts with a newline, so one cut short by kill -9
// ends on a line of its own, which the reader skips.
import { appendFileSync, closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Who did a step: a namespace, by UID, on a cluster. A namespace recreated under the same name starts fresh. */
export interface Attendee {
  cluster: string;
  namespace: string;
  uid: string;
}

export interface ProgressRecord extends Attendee {
  v: 1;
  lab: string;
  step: string;
  /** when it was first seen done (ISO time) */
  at: string;
  evidence?: unknown;
  /**
   * Seen skipped, not done: its check could not be judged on this cluster (the reason), after the attendee had
   * done what it needs. It keeps the step out of the score and out of the way of the steps that need it.
   */
  skipped?: string;
}

/** A step to record: done (with its evidence), or skipped (with the reason). */
export interface Seen {
  step: string;
  evidence?: unknown;
  skipped?: string;
}

/** Evidence kept per record, serialised: enough to show why, small enough for one append. */
const MAX_EVIDENCE = 2048;

export function defaultJournalPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'podlab', 'progress.jsonl');
}

const keyOf = (a: Attendee, lab: string, step: string, skipped = false) =>
  JSON.stringify([a.cluster, a.uid, lab, step, ...(skipped ? ['skip'] : [])]);

export class Journal {
  private seen = new Map<string, ProgressRecord>();
  private readBytes = 0;
  private sizeSeen = -1;

  constructor(readonly path: string) {}

  /** When this attendee was first seen done with the step, if ever (re-reading what other graders appended). */
  firstDone(a: Attendee, lab: string, step: string): ProgressRecord | undefined {
    this.refresh();
    return this.seen.get(keyOf(a, lab, step));
  }

  /** When this attendee's step was first seen skipped, if ever. */
  firstSkipped(a: Attendee, lab: string, step: string): ProgressRecord | undefined {
    this.refresh();
    return this.seen.get(keyOf(a, lab, step, true));
  }

  /** Appends the steps not recorded yet, in one write; returns those it recorded. */
  record(a: Attendee, lab: string, steps: Seen[], at = new Date()): ProgressRecord[] {
    this.refresh();
    const fresh = steps
      .filter((s) => !this.seen.has(keyOf(a, lab, s.step, s.skipped !== undefined)))
      .map((s): ProgressRecord => ({
        v: 1,
        ...a,
        lab,
        step: s.step,
        at: at.toISOString(),
        ...evidenceOf(s.evidence),
        ...(s.skipped !== undefined ? { skipped: s.skipped } : {}),
      }));
    if (!fresh.length) return [];
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, fresh.map((r) => `\n${JSON.stringify(r)}`).join(''), { mode: 0o600 });
    for (const r of fresh) this.seen.set(keyOf(r, r.lab, r.step, r.skipped !== undefined), r);
    return fresh;
  }

  /** Reads what was appended since the last read (only those bytes); a line that does not parse (cut short) is skipped. */
  private refresh(): void {
    let size: number;
    try {
      size = statSync(this.path).size;
    } catch {
      return; // no record yet
    }
    if (size === this.sizeSeen) return;
    if (size < this.readBytes) this.readBytes = 0; // replaced: read it again
    this.sizeSeen = size;
    const fresh = Buffer.alloc(size - this.readBytes);
    const fd = openSync(this.path, 'r');
    try {
      readSync(fd, fresh, 0, fresh.length, this.readBytes);
    } finally {
      closeSync(fd);
    }
    const text = fresh.toString('utf8');
    const end = text.lastIndexOf('\n');
    // Whole lines are read once; the last one (each record starts with a newline, so it has none after it)
    // is taken when it parses, and read again next time in case it was still being written.
    if (end >= 0) {
      for (const line of text.slice(0, end).split('\n')) this.take(line);
      this.readBytes += Buffer.byteLength(text.slice(0, end));
    }
    const rest = text.slice(end + 1);
    if (rest) this.takeIfWhole(rest);
  }

  private takeIfWhole(line: string): void {
    try {
      JSON.parse(line);
    } catch {
      return; // still being written, or cut short
    }
    this.take(line);
  }

  private take(line: string): void {
    if (!line.trim()) return;
    let r: ProgressRecord;
    try {
      r = JSON.parse(line) as ProgressRecord;
    } catch {
      return;
    }
    if (r?.v !== 1 || typeof r.step !== 'string' || typeof r.uid !== 'string') return;
    if (r.skipped !== undefined && typeof r.skipped !== 'string') return;
    const key = keyOf(r, r.lab, r.step, r.skipped !== undefined);
    const known = this.seen.get(key);
    if (!known || r.at < known.at) this.seen.set(key, r);
  }
}

function evidenceOf(evidence: unknown): { evidence?: unknown } {
  if (evidence === undefined) return {};
  const text = JSON.stringify(evidence);
  return { evidence: text.length <= MAX_EVIDENCE ? evidence : `${text.slice(0, MAX_EVIDENCE)}…` };
}
