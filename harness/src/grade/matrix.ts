// The attendee × step matrix: partial credit from the lab's weights, and its renderings.
import { visible, visibleLines } from '../terminal.js';
import type { Lab } from '../model/types.js';
import type { RunResult } from '../report/model.js';
import { junitXml, type JUnitCase, type JUnitSuite } from '../report/junit.js';
import type { RoomStats } from './room-stats.js';

/** done: its check passes now; earlier: the progress record has it done before (its check no longer passes). */
type Cell = { status: 'done' | 'earlier' | 'todo' | 'skip'; reason?: string; at?: string };

export interface AttendeeGrade {
  attendee: string;
  namespace: string;
  /** false when the attendee could not be graded at all (e.g. the cluster did not answer) */
  reachable: boolean;
  error?: string;
  cells: Record<string, Cell>;
  score: number;
  maxScore: number;
}

export interface GradeMatrix {
  lab: string;
  steps: Array<{ id: string; module: string; weight: number }>;
  attendees: AttendeeGrade[];
  generatedAt: string;
  /** the room at a glance (grade/room-stats.ts) */
  room?: RoomStats;
}

export function labSteps(lab: Lab): GradeMatrix['steps'] {
  return lab.modules.flatMap((m) =>
    m.steps.map((s) => ({ id: s.id, module: m.frontMatter.id, weight: m.frontMatter.weights?.[s.id] ?? 1 })),
  );
}

/** Skipped steps (the cluster cannot do them) leave the maximum, so nobody loses points for them. */
export function gradeOf(steps: GradeMatrix['steps'], attendee: string, namespace: string, r: RunResult): AttendeeGrade {
  const cells: Record<string, Cell> = {};
  for (const s of r.steps) cells[s.id] = cellOf(s);
  const counted = steps.filter((s) => cells[s.id]?.status !== 'skip');
  return {
    attendee,
    namespace,
    reachable: true,
    cells,
    score: counted
      .filter((s) => ['done', 'earlier'].includes(cells[s.id]?.status ?? ''))
      .reduce((a, s) => a + s.weight, 0),
    maxScore: counted.reduce((a, s) => a + s.weight, 0),
  };
}

function cellOf(s: RunResult['steps'][number]): Cell {
  if (s.status === 'pass')
    return { status: s.earlier ? 'earlier' : 'done', ...(s.firstSeen ? { at: s.firstSeen } : {}) };
  return { status: s.status === 'skip' ? 'skip' : 'todo', reason: s.hint ?? s.reason };
}

export function unreachable(attendee: string, namespace: string, error: string): AttendeeGrade {
  return { attendee, namespace, reachable: false, error, cells: {}, score: 0, maxScore: 0 };
}

const MARK: Record<Cell['status'], string> = { done: '✓', earlier: '+', todo: '✗', skip: '-' };

export function toTable(m: GradeMatrix): string {
  const ids = m.steps.map((s) => s.id);
  const nameWidth = Math.max(8, ...m.attendees.map((a) => visible(a.attendee).length));
  const header = `${'attendee'.padEnd(nameWidth)}  ${ids.map((_, i) => String(i + 1).padStart(2)).join(' ')}  score`;
  const rows = m.attendees.map(
    (a) =>
      `${visible(a.attendee).padEnd(nameWidth)}  ${
        a.reachable
          ? `${ids.map((id) => ` ${MARK[a.cells[id]?.status ?? 'todo']}`).join(' ')}  ${a.score}/${a.maxScore}`
          : `unreachable: ${visible(a.error ?? '')}`
      }`,
  );
  const legend = ids.map((id, i) => `${String(i + 1).padStart(2)} ${visible(id)}`).join('\n');
  const marks =
    '✓ done now   + done earlier (in the progress record; its check no longer passes)   ✗ not yet   - skipped';
  return (
    [header, ...rows, '', legend, '', marks, ...(m.room ? ['', visibleLines(m.room.summary)] : [])].join('\n') + '\n'
  );
}

/**
 * One CSV cell. A text that begins with `=`, `+`, `-`, `@`, a tab or a CR is a formula to a spreadsheet (an
 * attendee named `=HYPERLINK(...)`): it gets a leading `'`, which spreadsheets show as text. Numbers stay numbers.
 */
const csvField = (v: string | number) => {
  const s = typeof v === 'number' ? String(v) : /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(m: GradeMatrix): string {
  const ids = m.steps.map((s) => s.id);
  const lines = [['attendee', 'namespace', 'reachable', ...ids, 'score', 'max_score'].map(csvField).join(',')];
  for (const a of m.attendees) {
    lines.push(
      [a.attendee, a.namespace, String(a.reachable), ...ids.map((id) => a.cells[id]?.status ?? ''), a.score, a.maxScore]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

/** One suite per attendee, one case per step: through the same JUnit writer as `podlab run`. */
export function toJUnit(m: GradeMatrix): string {
  const suites = m.attendees.map((a): JUnitSuite => ({
    name: a.attendee,
    package: m.lab,
    seconds: 0,
    cases: m.steps.map((s) => ({
      name: a.cells[s.id]?.status === 'earlier' ? `${s.id} (done earlier)` : s.id,
      classname: `${m.lab}.${a.attendee}`,
      seconds: 0,
      outcome: outcome(a, a.cells[s.id]),
    })),
  }));
  return junitXml(suites, m.lab);
}

function outcome(a: AttendeeGrade, cell: Cell | undefined): JUnitCase['outcome'] {
  if (!a.reachable) return { kind: 'error', message: a.error ?? 'unreachable', type: 'Unreachable' };
  if (cell?.status === 'done' || cell?.status === 'earlier') return undefined;
  if (cell?.status === 'skip') return { kind: 'skipped', message: cell.reason ?? '' };
  return { kind: 'failure', message: cell?.reason ?? 'not done', type: 'NotDone' };
}
