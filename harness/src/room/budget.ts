// One attendee's share of the room, from the lab's timeline: the most pods, requests, limits and busy CPU alive
// at the same time (each at its own step), with the sandbox RuntimeClass's overhead on every sandboxed pod and the
// LimitRange's defaults on every container that sets none. The ResourceQuota and LimitRange are cut from it, and
// `room plan` multiplies it by the attendees.
import type { LabPod, Timeline } from './timeline.js';
import { ZERO, add, type Amount } from './quantity.js';

/** A container's defaults and ceiling in the room (the LimitRange). */
interface Defaults {
  request: Amount;
  limit: Amount;
  max: Amount;
}

export interface Peak {
  value: number;
  step: string;
}

export interface Budget {
  pods: Peak;
  requests: { cpu: Peak; memory: Peak };
  limits: { cpu: Peak; memory: Peak };
  /** CPU that pods burning it (stress-ng) may take at once: their CPU limits (and overhead) */
  burstCpu: Peak;
  /** memory in use at once: the burning pods at their memory limits, the others at their requests (and overhead) */
  burstMemory: Peak;
  /** the largest single pod's requests and limits (room to re-create one) */
  largest: { requests: Amount; limits: Amount };
  defaults: Defaults;
  overhead: Amount;
}

const max = (a: Amount, b: Amount): Amount => ({ cpu: Math.max(a.cpu, b.cpu), memory: Math.max(a.memory, b.memory) });

/** Used where the lab sets nothing at all. */
const FALLBACK: Defaults = {
  request: { cpu: 50, memory: 32 * 2 ** 20 },
  limit: { cpu: 500, memory: 128 * 2 ** 20 },
  max: { cpu: 500, memory: 128 * 2 ** 20 },
};

/** Defaults = the smallest request and limit the lab writes; ceiling = the largest limit it writes. */
function defaultsOf(t: Timeline): Defaults {
  const pods = t.moments.flatMap((m) => m.alive);
  const pick = (f: (p: LabPod) => number | undefined, agg: (...n: number[]) => number, fb: number) => {
    const vals = pods.map(f).filter((v): v is number => v !== undefined);
    return vals.length ? agg(...vals) : fb;
  };
  const limit = {
    cpu: pick((p) => p.limits.cpu, Math.min, FALLBACK.limit.cpu),
    memory: pick((p) => p.limits.memory, Math.min, FALLBACK.limit.memory),
  };
  return {
    request: {
      cpu: Math.min(
        limit.cpu,
        pick((p) => p.requests.cpu, Math.min, FALLBACK.request.cpu),
      ),
      memory: Math.min(
        limit.memory,
        pick((p) => p.requests.memory, Math.min, FALLBACK.request.memory),
      ),
    },
    limit,
    max: {
      cpu: pick((p) => p.limits.cpu, Math.max, limit.cpu),
      memory: pick((p) => p.limits.memory, Math.max, limit.memory),
    },
  };
}

/** A pod as the API server admits it in the room: LimitRange defaults filled in, the RuntimeClass overhead added. */
function admitted(p: LabPod, d: Defaults, overhead: Amount): { requests: Amount; limits: Amount } {
  const limits = {
    cpu: p.limited.cpu ? (p.limits.cpu ?? 0) : d.limit.cpu * p.containers,
    memory: p.limited.memory ? (p.limits.memory ?? 0) : d.limit.memory * p.containers,
  };
  // a container that sets a limit but no request gets the limit as its request
  const requests = {
    cpu: p.requests.cpu ?? (p.limited.cpu ? limits.cpu : d.request.cpu * p.containers),
    memory: p.requests.memory ?? (p.limited.memory ? limits.memory : d.request.memory * p.containers),
  };
  const o = p.sandboxed ? overhead : ZERO;
  return { requests: add(requests, o), limits: add(limits, o) };
}

/** A pod as the room sees it at one moment: as the text writes it, as admitted, and whether it burns CPU now. */
interface Alive {
  p: LabPod;
  a: { requests: Amount; limits: Amount };
  burning: boolean;
}

/** Each peak of the budget, and what one pod adds to it. */
const MEASURES: Array<[(b: Budget) => Peak, (x: Alive) => number]> = [
  [(b) => b.pods, () => 1],
  [(b) => b.requests.cpu, (x) => x.a.requests.cpu],
  [(b) => b.requests.memory, (x) => x.a.requests.memory],
  [(b) => b.limits.cpu, (x) => x.a.limits.cpu],
  [(b) => b.limits.memory, (x) => x.a.limits.memory],
  [(b) => b.burstCpu, (x) => (x.burning ? x.a.limits.cpu : 0)],
  [(b) => b.burstMemory, (x) => (x.burning ? x.a.limits.memory : x.a.requests.memory)],
];

export function budgetOf(t: Timeline, overhead: Amount): Budget {
  const defaults = defaultsOf(t);
  const none = (): Peak => ({ value: 0, step: '' });
  const b: Budget = {
    pods: none(),
    requests: { cpu: none(), memory: none() },
    limits: { cpu: none(), memory: none() },
    burstCpu: none(),
    burstMemory: none(),
    largest: { requests: ZERO, limits: ZERO },
    defaults,
    overhead,
  };
  for (const m of t.moments) {
    const alive: Alive[] = m.alive.map((p) => ({
      p,
      a: admitted(p, defaults, overhead),
      burning: p.burns || m.busy.has(p.name),
    }));
    for (const [peak, add] of MEASURES) {
      const value = alive.reduce((n, x) => n + add(x), 0);
      if (value > peak(b).value) Object.assign(peak(b), { value, step: m.step });
    }
    for (const { a } of alive)
      b.largest = { requests: max(b.largest.requests, a.requests), limits: max(b.largest.limits, a.limits) };
  }
  return b;
}
