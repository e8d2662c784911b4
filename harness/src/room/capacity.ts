// How many attendees a set of nodes holds (pure): one attendee's peaks (budget.ts) against each node's room, resource
// by resource. Five things contend: the pods a node may run, the CPU and memory the scheduler reserves (requests,
// RuntimeClass overhead included), and what the lab really uses at its burst: the stress-ng pods at their CPU and
// memory limits beside the others at their requests. A node holds as many attendees as its tightest resource
// allows; that resource binds. An attendee's pods may land on several nodes, but counting whole attendees per node
// keeps every burst of one attendee on a node that has room for it.
import type { Budget, Peak } from './budget.js';
import { cpuText, memText } from './quantity.js';

export type Resource = 'pods' | 'cpu requests' | 'memory requests' | 'cpu burst' | 'memory burst';

/** What one attendee needs of a resource at the lab's peak of it. */
interface Demand {
  resource: Resource;
  perAttendee: number;
  step: string;
}

/** A node as the plan sees it: allocatable, and what the cluster's own pods on it (DaemonSets, kube-system) take. */
export interface NodeShape {
  name: string;
  cpu: number;
  memory: number;
  pods: number;
  used: { cpu: number; memory: number; pods: number };
}

export interface NodeFit {
  node: NodeShape;
  /** attendees this node holds: the smallest over the resources */
  attendees: number;
  binds: Demand;
  free: Record<Resource, number>;
}

export interface Capacity {
  demands: Demand[];
  nodes: NodeFit[];
  /** attendees the nodes hold together */
  holds: number;
}

function demandsOf(b: Budget): Demand[] {
  const d = (resource: Resource, p: Peak): Demand => ({ resource, perAttendee: p.value, step: p.step });
  return [
    d('pods', b.pods),
    d('cpu requests', b.requests.cpu),
    d('memory requests', b.requests.memory),
    d('cpu burst', b.burstCpu),
    d('memory burst', b.burstMemory),
  ];
}

/** What is left on a node for the room, per resource. */
function freeOn(n: NodeShape): Record<Resource, number> {
  const cpu = Math.max(0, n.cpu - n.used.cpu);
  const memory = Math.max(0, n.memory - n.used.memory);
  return {
    pods: Math.max(0, n.pods - n.used.pods),
    'cpu requests': cpu,
    'memory requests': memory,
    'cpu burst': cpu,
    'memory burst': memory,
  };
}

function fitOn(demands: Demand[], node: NodeShape): NodeFit {
  const free = freeOn(node);
  let best: { attendees: number; binds: Demand } | undefined;
  for (const d of demands) {
    if (d.perAttendee <= 0) continue;
    const attendees = Math.floor(free[d.resource] / d.perAttendee);
    if (!best || attendees < best.attendees) best = { attendees, binds: d };
  }
  // a lab that creates nothing: a node holds as many attendees as it has pods for namespaces' sake, i.e. any
  return best ? { node, free, ...best } : { node, free, attendees: Infinity, binds: demands[0]! };
}

export function capacityOf(b: Budget, nodes: NodeShape[]): Capacity {
  const demands = demandsOf(b);
  const fits = nodes.map((n) => fitOn(demands, n));
  return { demands, nodes: fits, holds: fits.reduce((s, f) => s + f.attendees, 0) };
}

/** Nodes of one shape needed for a room of `attendees` (Infinity when one such node holds nobody). */
export function nodesNeeded(fit: Pick<NodeFit, 'attendees'>, attendees: number): number {
  if (fit.attendees === Infinity) return 1;
  return fit.attendees > 0 ? Math.ceil(attendees / fit.attendees) : Infinity;
}

/** A resource's amount for people: `9 pods`, `950m CPU`, `1.2 GiB`. */
export function amountText(r: Resource, v: number): string {
  if (r === 'pods') return `${v} pod${v === 1 ? '' : 's'}`;
  return r.startsWith('cpu') ? cpuText(v) : memText(v);
}

/** One line on why a node holds what it holds: `cpu burst binds: 1.55 CPU per attendee (at noisy-neighbour), 2 CPU free`. */
export function bindsText(f: NodeFit): string {
  const d = f.binds;
  return `${d.resource} binds: ${amountText(d.resource, d.perAttendee)} per attendee (at step ${d.step}), ${amountText(d.resource, f.free[d.resource])} free on ${f.node.name}`;
}
