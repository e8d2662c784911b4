// Text that comes from outside podlab (a pod's output, a check's `actual`) kept to a bound: its head and its
// tail, and a line in between that says how much was cut. One attendee's `yes` must cost the grader kilobytes.

/** What a kept text says where its middle was cut. */
const cutNote = (bytes: number) => `\n[… podlab cut ${bytes} bytes here …]\n`;

/** A stream of bytes kept as its first `head` and last `tail` bytes; `cut` counts what fell between them. */
export class BoundedText {
  private readonly first: Buffer[] = [];
  private firstBytes = 0;
  private last: Buffer[] = [];
  private lastBytes = 0;
  /** every byte written, kept or not */
  seen = 0;
  cut = 0;

  constructor(
    private readonly head: number,
    private readonly tail: number,
  ) {}

  write(chunk: Buffer): void {
    this.seen += chunk.length;
    if (this.firstBytes < this.head) {
      const take = chunk.subarray(0, this.head - this.firstBytes);
      this.first.push(take);
      this.firstBytes += take.length;
      chunk = chunk.subarray(take.length);
    }
    if (!chunk.length) return;
    this.last.push(chunk);
    this.lastBytes += chunk.length;
    while (this.lastBytes > this.tail) {
      const over = this.lastBytes - this.tail;
      const oldest = this.last[0]!;
      if (oldest.length <= over) {
        this.last.shift();
        this.lastBytes -= oldest.length;
        this.cut += oldest.length;
      } else {
        this.last[0] = oldest.subarray(over);
        this.lastBytes -= over;
        this.cut += over;
      }
    }
  }

  /** The kept text (a character split at a cut shows as U+FFFD; the note says where). */
  toString(): string {
    const head = Buffer.concat(this.first).toString('utf8');
    const tail = Buffer.concat(this.last).toString('utf8');
    return this.cut ? `${head}${cutNote(this.cut)}${tail}` : head + tail;
  }
}

/** `text` itself when it is at most `max` characters, else its head and tail around a note of how much was cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = Math.floor(max / 2);
  return `${text.slice(0, keep)}${cutNote(text.length - 2 * keep).replace('bytes', 'characters')}${text.slice(-keep)}`;
}

/** Strings anywhere in `value` clipped to `max` characters each; arrays and objects beyond `max` entries cut too. */
export function clipValue(value: unknown, max: number, depth = 0): unknown {
  if (typeof value === 'string') return clip(value, max);
  if (value === null || typeof value !== 'object') return value;
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return clipValue(json.call(value), max, depth + 1);
  if (depth > 8) return '[… podlab cut a value nested too deep …]';
  if (Array.isArray(value)) {
    const kept = value.slice(0, 64).map((v) => clipValue(v, max, depth + 1));
    return value.length > 64 ? [...kept, `[… podlab cut ${value.length - 64} more entries …]`] : kept;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const kept = entries.slice(0, 64).map(([k, v]) => [clip(k, 256), clipValue(v, max, depth + 1)]);
  if (entries.length > 64) kept.push(['…', `podlab cut ${entries.length - 64} more entries`]);
  return Object.fromEntries(kept);
}
