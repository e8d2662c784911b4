// The progress record: an append-only journal of the steps each attendee was seen to have done. One JSON
// line per step first seen done; no server. Appends are single write() calls to a file opened O_APPEND,
// so concurrent graders do not interleave; each record starts with a newline, so one cut short by kill -9
// ends on a line of its own, which the reader skips.
import { appendFileSync, closeSync, constants, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { evidenceOf } from './evidence.js';

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

/** A record larger than this is not read (a room's day is a few MB): a device or a runaway file would fill memory. */
const MAX_RECORD_BYTES = 256 * 1024 * 1024;

export function defaultJournalPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'podlab', 'progress.jsonl');
}

const keyOf = (a: Attendee, lab: string, step: string, skipped = false) =>
  JSON.stringify([a.cluster, a.uid, lab, step, ...(skipped ? ['skip'] : [])]);
const attendeeKey = (a: Attendee) => JSON.stringify([a.cluster, a.uid]);

export class Journal {
  private seen = new Map<string, ProgressRecord>();
  private readonly readChanges = new Map<string, number>(); // per attendee: lines read that changed `seen`
  private readBytes = 0;
  private sizeSeen = -1;
  /** lines that are not podlab records (a wrong type, not JSON), skipped and counted */
  badLines = 0;
  /** why the last append failed (a full disk, a path that cannot be written), once it has */
  writeFailed: string | undefined;

  constructor(readonly path: string) {}

  /** Reads the record now: one that is not a regular file, or too large, is a usage error before any grading. */
  check(): this {
    this.refresh();
    return this;
  }

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

  /** Changes when a line someone else appended (another grader) changes what is known of this attendee. */
  changesSeen(a: Attendee): number {
    this.refresh();
    return this.readChanges.get(attendeeKey(a)) ?? 0;
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
    try {
      // A folder that cannot be made is said by the append itself (ENOTDIR, EACCES), not as mkdir's EEXIST.
      mkdirSync(dirname(this.path), { recursive: true });
    } catch {
      // the append below fails and says why
    }
    try {
      appendFileSync(this.path, fresh.map((r) => `\n${JSON.stringify(r)}`).join(''), { mode: 0o600 });
    } catch (err) {
      // The grade goes on without the record: its results still reach the report; the caller says so once.
      this.writeFailed = (err as NodeJS.ErrnoException).code ?? String(err);
      return [];
    }
    for (const r of fresh) this.seen.set(keyOf(r, r.lab, r.step, r.skipped !== undefined), r);
    return fresh;
  }

  /** Reads what was appended since the last read (only those bytes); a line that does not parse (cut short) is skipped. */
  private refresh(): void {
    let fd: number;
    try {
      fd = openSync(this.path, constants.O_RDONLY | constants.O_NONBLOCK); // a FIFO must not block the open
    } catch {
      return; // no record yet
    }
    let fresh: Buffer;
    try {
      fresh = this.unread(fd);
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

  /** The bytes appended since the last read, from a regular file of bounded size only. */
  private unread(fd: number): Buffer {
    const st = fstatSync(fd);
    const fix = 'name a file with --record, or grade without one (--no-record)';
    if (!st.isFile()) throw new UsageError(`progress record ${this.path} is not a regular file: ${fix}`);
    if (st.size > MAX_RECORD_BYTES)
      throw new UsageError(`progress record ${this.path} is ${st.size} bytes, over ${MAX_RECORD_BYTES}: ${fix}`);
    if (st.size === this.sizeSeen) return Buffer.alloc(0);
    if (st.size < this.readBytes) this.readBytes = 0; // replaced: read it again
    this.sizeSeen = st.size;
    const fresh = Buffer.alloc(st.size - this.readBytes);
    readSync(fd, fresh, 0, fresh.length, this.readBytes);
    return fresh;
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
      this.badLines++;
      return;
    }
    if (!wellFormed(r)) {
      this.badLines++;
      return;
    }
    const key = keyOf(r, r.lab, r.step, r.skipped !== undefined);
    const known = this.seen.get(key);
    if (known && r.at >= known.at) return;
    this.seen.set(key, r);
    this.readChanges.set(attendeeKey(r), (this.readChanges.get(attendeeKey(r)) ?? 0) + 1);
  }
}

/** A line as podlab writes it: every field of its type, `at` an ISO time (compared as text). */
function wellFormed(r: ProgressRecord): boolean {
  const text = (v: unknown) => typeof v === 'string';
  return (
    r !== null &&
    typeof r === 'object' &&
    r.v === 1 &&
    [r.cluster, r.namespace, r.uid, r.lab, r.step, r.at].every(text) &&
    /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(r.at) &&
    (r.skipped === undefined || text(r.skipped))
  );
}
