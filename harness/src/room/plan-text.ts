// The room plan for people (pure): what one attendee needs at the lab's peak, what each node has free, which resource
// binds, and the nodes a room of N needs; and the one line `room up` refuses a room with.
import { amountText, bindsText, type NodeFit } from './capacity.js';
import { maxAttendees, plannedNodes, type RoomPlan } from './room-plan.js';
import { cpuText, memText } from './quantity.js';
import { SIZES_SOURCE } from './node-sizes.js';

const pad = (cells: string[], widths: number[]) =>
  cells
    .map((c, i) => c.padEnd(widths[i] ?? 0))
    .join('  ')
    .trimEnd();

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `  ${pad(r, widths)}`);
}

const nodeLine = (f: NodeFit) =>
  `${f.node.name}: allocatable ${cpuText(f.node.cpu)}, ${memText(f.node.memory)}, ${f.node.pods} pods` +
  (f.node.used.pods
    ? `; the cluster's own pods on it (DaemonSets, kube-system) take ${f.node.used.pods} pods, ${cpuText(f.node.used.cpu)}, ${memText(f.node.used.memory)}`
    : '');

/** The whole plan for a room of `attendees`. */
export function planText(p: RoomPlan, attendees: number): string[] {
  const o = p.overhead.amount;
  const out = [
    `room plan: ${p.lab} for ${attendees} attendee(s), the ${p.platform} blocks of its text`,
    `RuntimeClass overhead per sandboxed pod: ${o.cpu || o.memory ? `${cpuText(o.cpu)}, ${memText(o.memory)}` : 'none'} (${p.overhead.source})`,
    'one attendee at the peak of each resource (burst: the stress-ng pods at their limits, the others at their requests):',
    ...table([
      ['resource', 'per attendee', 'at step'],
      ...p.capacity.demands.map((d) => [d.resource, amountText(d.resource, d.perAttendee), d.step || '-']),
    ]),
  ];
  const fits = p.capacity.nodes;
  if ('size' in p.nodes) out.push(`node size ${nodeLine(fits[0]!)} (${SIZES_SOURCE})`);
  else {
    out.push(`nodes read from the cluster (those a sandboxed pod can run on):`);
    out.push(...fits.map((f) => `  ${nodeLine(f)}`));
    for (const s of p.nodes.cluster.skipped) out.push(`  ${s.name}: left out, ${s.why}`);
    const others = p.nodes.cluster.others;
    if (others.pods)
      out.push(
        `  other workloads' pods request ${others.pods} pods, ${cpuText(others.cpu)}, ${memText(others.memory)} there now: not counted, they may be gone by the workshop`,
      );
  }
  if (!fits.length) return [...out, 'no node can run the room: nothing holds an attendee'];
  out.push(
    ...table([['node', 'attendees', 'binds'], ...fits.map((f) => [f.node.name, String(f.attendees), bindsText(f)])]),
  );
  const need = plannedNodes(p, attendees);
  const shape = fits[0]!.node.name;
  out.push(
    'size' in p.nodes
      ? `nodes needed: ${need} (${shape}) for ${attendees} attendee(s): az aks create ... --node-vm-size ${shape} --node-count ${need}`
      : `this cluster holds ${maxAttendees(p)} attendee(s); ${attendees} need ${need} node(s) like ${shape}, it has ${fits.length}`,
  );
  if ('size' in p.nodes)
    out.push(
      "AKS's own DaemonSet pods on each node are not counted: once the cluster exists, `podlab room plan` against it reads them",
    );
  return out;
}

/** Why `room up` refuses a room of `attendees`, or undefined when the plan's nodes hold it. */
export function refusal(p: RoomPlan, attendees: number): string | undefined {
  const holds = maxAttendees(p);
  if (attendees <= holds) return undefined;
  const tight = p.capacity.nodes.map(bindsText).join('; ') || 'no node a sandboxed pod can run on';
  return (
    `the cluster holds ${holds} attendee(s) of ${p.lab}, not ${attendees}: ${tight}. ` +
    `\`podlab room plan ${p.lab} --attendees ${attendees}\` says how many nodes the room needs; --force goes on anyway`
  );
}
