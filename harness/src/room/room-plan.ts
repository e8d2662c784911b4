// `room plan`: the room's capacity for one lab. One attendee's budget (the lab's peak pods, requests and bursts, the
// RuntimeClass overhead on each sandboxed pod) against nodes: those of the cluster in hand, or an AKS size from the
// table. The overhead comes from the cluster's sandbox RuntimeClass, or from a runtime profile's table (`--profile
// aks`) when there is no cluster to read. `room up` and `rehearse` ask the same question before they start.
import type { Plan } from '../plan/plan.js';
import type { Platform } from '../plan/blocks.js';
import type { Cluster } from '../k8s/cluster.js';
import type { SandboxRuntime } from '../k8s/types.js';
import { PROFILE_TABLES } from '../profiles/tables.js';
import { detectPlatform, sandboxFor } from '../runner/platform.js';
import { UsageError } from '../errors.js';
import { budgetFor, overheadOf } from './build.js';
import type { Budget } from './budget.js';
import { capacityOf, nodesNeeded, type Capacity } from './capacity.js';
import { clusterNodes, type ClusterNodes } from './cluster-nodes.js';
import { aksNode } from './node-sizes.js';
import type { Amount } from './quantity.js';

export interface RoomPlan {
  lab: string;
  platform: Platform;
  overhead: { amount: Amount; source: string };
  budget: Budget;
  capacity: Capacity;
  /** where the nodes came from: an AKS size, or the cluster (with what it left out) */
  nodes: { size: string } | { cluster: ClusterNodes };
}

export interface PlanSource {
  /** read nodes, overhead and platform from it (unless the options below say them) */
  cluster?: Cluster;
  sandbox?: SandboxRuntime;
  /** a runtime profile's table gives the overhead (`aks` = `aks-kata`); the platform is then its own */
  profile?: string;
  /** an AKS VM size instead of the cluster's nodes */
  nodeSize?: string;
  maxPods?: number;
  platform?: Platform;
}

/** The blocks an attendee's run types: on the embedded cluster an attendee is not its admin, so not `local`. */
export async function roomPlatform(cluster: Cluster, sandbox: SandboxRuntime | undefined, given?: Platform) {
  if (given) return given;
  const detected = await detectPlatform(cluster, sandbox);
  return detected === 'local' ? 'other' : detected;
}

function profileOverhead(id: string): { amount: Amount; source: string; platform: Platform } {
  const key = id === 'aks' ? 'aks-kata' : id;
  const table = PROFILE_TABLES[key];
  if (!table)
    throw new UsageError(
      `--profile ${id}: no such runtime profile (${Object.keys(PROFILE_TABLES).join(', ')}, or aks)`,
    );
  return {
    amount: overheadOf({ overhead: table.overhead }),
    source: `the ${key} profile's table: ${table.overhead?.source ?? 'it gives no overhead'}`,
    platform: key.startsWith('aks') ? 'aks' : 'other',
  };
}

export async function planRoom(plan: Plan, src: PlanSource): Promise<RoomPlan> {
  if (!src.cluster && !(src.profile && src.nodeSize))
    throw new UsageError('without a cluster to read, say --profile aks and --node-size (e.g. Standard_D4s_v3)');
  const node = src.nodeSize ? aksNode(src.nodeSize, src.maxPods) : undefined;
  let overhead: RoomPlan['overhead'];
  let platform: Platform;
  let sandbox = src.sandbox;
  if (src.profile) {
    const p = profileOverhead(src.profile);
    overhead = { amount: p.amount, source: p.source };
    platform = src.platform ?? p.platform;
  } else {
    const cluster = src.cluster!;
    sandbox ??= await sandboxFor(cluster, undefined);
    overhead = {
      amount: overheadOf(sandbox),
      source: sandbox
        ? `overhead.podFixed of RuntimeClass ${sandbox.name}, read from the cluster`
        : 'no sandbox RuntimeClass on the cluster: no overhead',
    };
    platform = await roomPlatform(cluster, sandbox, src.platform);
  }
  const { budget } = budgetFor(plan, platform, overhead.amount);
  if (node)
    return {
      lab: plan.lab.id,
      platform,
      overhead,
      budget,
      capacity: capacityOf(budget, [node]),
      nodes: { size: node.name },
    };
  sandbox ??= src.profile ? undefined : await sandboxFor(src.cluster!, undefined);
  const read = await clusterNodes(src.cluster!, sandbox);
  return {
    lab: plan.lab.id,
    platform,
    overhead,
    budget,
    capacity: capacityOf(budget, read.nodes),
    nodes: { cluster: read },
  };
}

/** Attendees the plan's nodes hold; what `rehearse` and `room up` compare a room's size with. */
export const maxAttendees = (p: RoomPlan) => p.capacity.holds;

/** Nodes of the plan's shape (the AKS size, or the cluster's first usable node) that a room of `attendees` needs. */
export function plannedNodes(p: RoomPlan, attendees: number): number {
  const first = p.capacity.nodes[0];
  return first ? nodesNeeded(first, attendees) : Infinity;
}
