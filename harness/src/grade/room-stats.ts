// The room at a glance, from the matrix and the first-seen times of the progress record: how many attendees
// did each step, how long it took them from their first step, and who has been stuck longest, on what.
/** What the statistics read of a grade matrix (grade/matrix.ts `GradeMatrix`): the steps and each attendee's cells. */
interface Graded {
  steps: Array<{ id: string }>;
  attendees: Array<{ attendee: string; reachable: boolean; cells: Record<string, { status: string; at?: string }> }>;
}

interface StepStats {
  id: string;
  /** attendees with the step done (now or earlier) */
  done: number;
  /** median time from an attendee's first step done to this one, over those who did it (ms) */
  medianFromStartMs?: number;
  /** of the attendees on this step now (stuckOn), the one on it longest, and for how long (ms) */
  stuck?: { attendee: string; forMs: number };
}

export interface RoomStats {
  attendees: number;
  steps: StepStats[];
  /** the attendee whose last progress is oldest, the step they are on, and since when (ms) */
  stuckLongest?: { attendee: string; step: string; forMs: number };
  /** one line for the table */
  summary: string;
}

const DONE = new Set(['done', 'earlier']);

export function roomStats(m: Graded, now = Date.now()): RoomStats {
  const graded = m.attendees.filter((a) => a.reachable);
  const started = (a: Graded['attendees'][number]) =>
    Math.min(...m.steps.map((s) => Date.parse(a.cells[s.id]?.at ?? '')).filter(Number.isFinite));
  const onStep = stuckOn(m, graded, now);
  const steps = m.steps.map((s): StepStats => {
    const times = graded
      .filter((a) => DONE.has(a.cells[s.id]?.status ?? '') && a.cells[s.id]?.at)
      .map((a) => Date.parse(a.cells[s.id]!.at!) - started(a));
    const done = graded.filter((a) => DONE.has(a.cells[s.id]?.status ?? '')).length;
    const stuck = onStep.get(s.id);
    return {
      id: s.id,
      done,
      ...(times.length ? { medianFromStartMs: median(times) } : {}),
      ...(stuck ? { stuck } : {}),
    };
  });
  let stuckLongest: RoomStats['stuckLongest'];
  for (const a of graded) {
    const next = m.steps.find((s) => !DONE.has(a.cells[s.id]?.status ?? '') && a.cells[s.id]?.status !== 'skip');
    const last = Math.max(...m.steps.map((s) => Date.parse(a.cells[s.id]?.at ?? '')).filter(Number.isFinite));
    if (!next || !Number.isFinite(last)) continue;
    if (!stuckLongest || now - last > stuckLongest.forMs)
      stuckLongest = { attendee: a.attendee, step: next.id, forMs: now - last };
  }
  const counts = graded.map((a) => m.steps.filter((s) => DONE.has(a.cells[s.id]?.status ?? '')).length);
  const stuck = stuckLongest
    ? `; stuck longest: ${stuckLongest.attendee} on ${stuckLongest.step} for ${minutes(stuckLongest.forMs)}`
    : '';
  const summary = `room: ${graded.length} attendee${graded.length === 1 ? '' : 's'} graded; median ${counts.length ? median(counts) : 0}/${m.steps.length} steps done${stuck}`;
  return { attendees: graded.length, steps, ...(stuckLongest ? { stuckLongest } : {}), summary };
}

/**
 * Per step, who has been on it longest. An attendee is on the first step not done (nor skipped), since the latest
 * first-seen time of the steps before it, which are all done: the moment the step became theirs to do. An attendee
 * on the first step, or with no first-seen times (no progress record), is on no step that can be timed.
 */
export function stuckOn(
  m: Graded,
  graded = m.attendees,
  now = Date.now(),
): Map<string, { attendee: string; forMs: number }> {
  const longest = new Map<string, { attendee: string; forMs: number }>();
  for (const a of graded) {
    const i = m.steps.findIndex((s) => !DONE.has(a.cells[s.id]?.status ?? '') && a.cells[s.id]?.status !== 'skip');
    if (i <= 0) continue;
    const since = Math.max(
      ...m.steps
        .slice(0, i)
        .map((s) => Date.parse(a.cells[s.id]?.at ?? ''))
        .filter(Number.isFinite),
    );
    if (!Number.isFinite(since)) continue;
    const step = m.steps[i]!.id;
    const forMs = Math.max(0, now - since);
    if (forMs > (longest.get(step)?.forMs ?? -1)) longest.set(step, { attendee: a.attendee, forMs });
  }
  return longest;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const minutes = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);
