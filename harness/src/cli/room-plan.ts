// podlab room plan: how many attendees the cluster (or an AKS node size) holds for a lab, and which resource binds.
import type { Platform } from '../plan/blocks.js';
import type { ClusterTarget } from '../k8s/kubeconfig.js';
import { planRoom, plannedNodes, maxAttendees } from '../room/room-plan.js';
import { planText } from '../room/plan-text.js';
import { connect, planOf } from './common.js';
import { EXIT } from './exit.js';
import type { Redactor } from '../report/redact.js';
import { visibleLines } from '../terminal.js';

type PlanFlags = ClusterTarget & {
  attendees: number;
  profile?: string;
  nodeSize?: string;
  maxPods?: number;
  platform?: Platform;
  format?: 'text' | 'json';
};

export async function plan(labArg: string, opts: PlanFlags, redactor: Redactor): Promise<number> {
  const lab = await planOf(labArg);
  if (!lab) return EXIT.usage;
  // an AKS size and a profile's overhead need no cluster: a room can be planned before it exists
  const offline = opts.profile !== undefined && opts.nodeSize !== undefined;
  const cluster = offline ? undefined : connect(opts, redactor).cluster;
  const p = await planRoom(lab, { ...opts, cluster });
  const holds = 'size' in p.nodes || maxAttendees(p) >= opts.attendees;
  if (opts.format === 'json') {
    const nodes = plannedNodes(p, opts.attendees);
    console.log(
      JSON.stringify(
        {
          ...p,
          attendees: opts.attendees,
          attendeesPerNode: p.capacity.nodes[0]?.attendees ?? 0,
          nodesNeeded: Number.isFinite(nodes) ? nodes : null,
          holds: maxAttendees(p),
        },
        null,
        2,
      ),
    );
  } else console.log(visibleLines(planText(p, opts.attendees).join('\n')));
  return holds ? EXIT.ok : EXIT.capacity;
}
