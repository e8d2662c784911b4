// podlab room up | down | status: the instructor's room (harness/src/room/), from the command line.
import type { Plan } from '../plan/plan.js';
import type { Platform } from '../plan/blocks.js';
import type { Cluster } from '../k8s/cluster.js';
import type { ClusterTarget } from '../k8s/kubeconfig.js';
import type { SandboxRuntime } from '../k8s/types.js';
import { sandboxFor } from '../runner/platform.js';
import { roomSpec, type RoomFlags } from '../room/names.js';
import { designRoom } from '../room/build.js';
import { roomUp } from '../room/up.js';
import { roomDown } from '../room/down.js';
import { DEFAULT_GRADER } from '../room/grader.js';
import { planRoom, roomPlatform } from '../room/room-plan.js';
import { refusal } from '../room/plan-text.js';
import { roomStatus, statusText } from '../room/status.js';
import { connect, planOf } from './common.js';
import { EXIT } from './exit.js';
import type { Redactor } from '../report/redact.js';
import { visible, visibleLines } from '../terminal.js';

type Common = ClusterTarget & { platform?: Platform };
type UpFlags = Common & RoomFlags & { duration: number; out?: string; force?: boolean };

const outDir = (room: string, out?: string) => out ?? `podlab-room-${room}`;

async function setUp(
  labArg: string,
  opts: Common,
  redactor: Redactor,
): Promise<{ plan: Plan; cluster: Cluster; sandbox?: SandboxRuntime; platform: Platform } | undefined> {
  const plan = await planOf(labArg);
  if (!plan) return undefined;
  const { cluster } = connect(opts, redactor);
  const sandbox = await sandboxFor(cluster, undefined);
  return { plan, cluster, sandbox, platform: await roomPlatform(cluster, sandbox, opts.platform) };
}

export async function up(labArg: string, opts: UpFlags, redactor: Redactor): Promise<number> {
  const ctx = await setUp(labArg, opts, redactor);
  if (!ctx) return EXIT.usage;
  const spec = roomSpec(ctx.plan.lab.id, opts);
  const sized = await planRoom(ctx.plan, { cluster: ctx.cluster, sandbox: ctx.sandbox, platform: ctx.platform });
  const no = refusal(sized, spec.attendees.length);
  if (no && !opts.force) {
    console.error(`podlab room: ${no}`);
    return EXIT.capacity;
  }
  if (no) console.error(`podlab room: --force: going on, although ${no.replace(/; --force.*$/, '')}`);
  const design = designRoom(spec, ctx.plan, { platform: ctx.platform, sandbox: ctx.sandbox, grader: DEFAULT_GRADER });
  const dir = outDir(spec.room, opts.out);
  const r = await roomUp(ctx.cluster, spec, design, {
    dir,
    seconds: opts.duration,
    grader: DEFAULT_GRADER,
    redactor,
  });
  const q = design.attendees[0]?.objects.find((o) => o.kind === 'ResourceQuota') as { spec?: { hard?: object } };
  console.error(
    `podlab room: ${spec.attendees.length} attendee(s) in room ${spec.room}; each namespace's quota ${JSON.stringify(q?.spec?.hard)}; ` +
      `privileged, hostNetwork and hostPath pods only with runtimeClassName ${ctx.sandbox?.name ?? '(none: refused)'}`,
  );
  const row = (cells: string[]) => console.log(cells.map(visible).join('\t'));
  row(['attendee', 'namespace', 'kubeconfig', 'expires']);
  for (const k of r.kubeconfigs) row([k.attendee, k.namespace, k.file, k.expires]);
  row(['(grader)', '', r.grader.file, r.grader.expires]);
  return EXIT.ok;
}

export async function down(
  labArg: string,
  opts: ClusterTarget & { prefix: string; out?: string },
  redactor: Redactor,
): Promise<number> {
  const plan = await planOf(labArg);
  if (!plan) return EXIT.usage;
  const { cluster } = connect(opts, redactor);
  await sandboxFor(cluster, undefined); // unreachable: exit 3 before anything
  const { room } = roomSpec(plan.lab.id, { prefix: opts.prefix, attendees: 1 });
  const r = await roomDown(
    cluster,
    { lab: plan.lab.id, room },
    { grader: DEFAULT_GRADER, dir: outDir(room, opts.out) },
  );
  console.error(
    `podlab room: room ${room} is down: ${r.namespaces.length} namespace(s) deleted${r.namespaces.length ? ` (${r.namespaces.join(', ')})` : ''}` +
      (r.graderKeptFor.length ? `; the grader stays for namespace(s) ${r.graderKeptFor.join(', ')}` : ''),
  );
  return EXIT.ok;
}

export async function status(
  labArg: string,
  opts: ClusterTarget & { prefix: string; format?: string },
  redactor: Redactor,
): Promise<number> {
  const plan = await planOf(labArg);
  if (!plan) return EXIT.usage;
  const { cluster } = connect(opts, redactor);
  await sandboxFor(cluster, undefined); // unreachable: exit 3 before anything
  const { room } = roomSpec(plan.lab.id, { prefix: opts.prefix, attendees: 1 });
  const rows = await roomStatus(cluster, room);
  console.log(
    opts.format === 'json'
      ? JSON.stringify({ room, attendees: rows }, null, 2)
      : visibleLines(statusText(room, rows).join('\n')),
  );
  return EXIT.ok;
}
