// Pure verdicts over a profile table and what a check measured: each asserts only what holds on every
// reading the table lists, and names the readings the measurement matches.
import type { Reading, RuntimeProfile } from './tables.js';

export interface ProfileVerdict {
  ok: boolean;
  expected: string;
  actual: string;
  /** the table's readings the measurement is consistent with */
  matched: string[];
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 ** 2)}Mi`;

/**
 * `nproc` in the guest: within ceil(CPU limit) (1 without a limit) and the node's CPUs, and equal to what one of
 * the profile's readings gives (AKS has one: ceil(limit); upstream Kata adds default_vcpus).
 */
export function cpuVerdict(
  p: RuntimeProfile,
  m: { cpuLimit: number; nodeCpus: number; nproc: number },
): ProfileVerdict {
  const low = Math.max(1, Math.ceil(m.cpuLimit));
  const high = m.nodeCpus;
  const value = (r: Reading) => Math.min(high, r.value(m.cpuLimit, 0, m.nodeCpus));
  const matched = p.vcpus.filter((r) => value(r) === m.nproc).map((r) => r.label);
  const readings = p.vcpus.map((r) => `${r.label} = ${value(r)}`).join('; ');
  return {
    ok: Number.isInteger(m.nproc) && m.nproc >= low && m.nproc <= high && matched.length > 0,
    expected: `${low} ≤ CPUs ≤ ${high} (ceil(limit) to the node's CPUs; ${p.id} readings: ${readings})`,
    actual: `${m.nproc} CPUs`,
    matched,
  };
}

/** The RAM window of one reading: what the guest kernel may keep for itself below it, the tolerance above. */
function memoryWindow(p: RuntimeProfile, r: Reading, limit: number, overhead: number): [low: number, high: number] {
  const ram = r.value(limit, overhead, 0);
  return [ram - p.memory.reserved(ram) - p.memory.tolerance(ram), ram + p.memory.tolerance(ram)];
}

/** MemTotal in the guest is consistent with at least one of the profile's readings (limit, limit + a default...). */
export function memoryVerdict(
  p: RuntimeProfile,
  m: { memLimit: number; overhead: number; memTotal: number },
): ProfileVerdict {
  const windows = p.memory.readings.map((r) => ({ r, w: memoryWindow(p, r, m.memLimit, m.overhead) }));
  const matched = windows.filter(({ w }) => m.memTotal >= w[0] && m.memTotal <= w[1]).map(({ r }) => r.label);
  return {
    ok: matched.length > 0,
    expected: `MemTotal in one of: ${windows.map(({ r, w }) => `${r.label}: ${mib(w[0])}..${mib(w[1])}`).join('; ')}`,
    actual: `MemTotal ${mib(m.memTotal)}`,
    matched,
  };
}

export interface OomObservation {
  /** the container's terminated reason (state or lastState), undefined while it runs */
  reason?: string;
  exitCode?: number;
  /** the pod's phase: Failed or Succeeded once it ended */
  phase?: string;
  /** the container's log: stress-ng says when the OOM killer took one of its workers */
  log: string;
}

const WORKER_OOM = /killed by (the )?OOM killer/i;

/**
 * The container went over its memory limit and was OOM-killed: the container itself (reason OOMKilled), or,
 * where the profile says so, only the process that went over (the pod may then end Succeeded or Failed).
 */
export function oomVerdict(p: RuntimeProfile, o: OomObservation): ProfileVerdict & { ended: boolean } {
  const ended = o.reason !== undefined;
  const workerOnly = p.oom.containerOomKilled === 'or only a process';
  const expected = workerOnly
    ? 'the container OOMKilled, or its stress-ng worker killed by the OOM killer'
    : 'the container OOMKilled';
  const actual = ended ? `${o.reason} (exit ${o.exitCode}), pod ${o.phase}` : `still ${o.phase ?? 'unknown'}`;
  if (o.reason === 'OOMKilled') return { ok: true, ended, expected, actual, matched: ['container OOMKilled'] };
  const worker = workerOnly && ended && WORKER_OOM.test(o.log);
  return {
    ok: worker,
    ended,
    expected,
    actual: worker ? `${actual}; the log: a worker killed by the OOM killer` : actual,
    matched: worker ? ['only a process OOM-killed'] : [],
  };
}

/** A block device: its name and size in KiB (as /proc/partitions gives them), if known. */
export interface BlockDevice {
  name: string;
  kib?: number;
}

/** `/proc/partitions` → devices (header and blank lines skipped). */
export function parsePartitions(text: string): BlockDevice[] {
  return text.split('\n').flatMap((line) => {
    const m = /^\s*\d+\s+\d+\s+(\d+)\s+(\S+)\s*$/.exec(line);
    return m ? [{ name: m[2]!, kib: Number(m[1]) }] : [];
  });
}

/**
 * The devices a sandboxed pod can read that are the node's: same name and, where both sizes are known, same
 * size. A guest VM's own disk has a name of its own or another size, so it does not count.
 */
export function nodeDevicesAmong(readable: BlockDevice[], node: BlockDevice[]): BlockDevice[] {
  return readable.filter((d) =>
    node.some((n) => n.name === d.name && (d.kib === undefined || n.kib === undefined || n.kib === d.kib)),
  );
}
