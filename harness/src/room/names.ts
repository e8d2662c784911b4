// Who is in a room: its name, its attendees' namespaces, and the labels every object of the room carries.
// A room is not a run: its objects carry no run label, so a run's reaper and leak audit never take them.
import { UsageError } from '../errors.js';
import { LAB_LABEL, MANAGED_BY } from '../k8s/cluster.js';

export const ROOM_LABEL = 'podlab.dev/room';
export const ATTENDEE_LABEL = 'podlab.dev/attendee';

export interface RoomSpec {
  lab: string;
  /** the room's name: the prefix without its trailing dash (`attendee` for `attendee-`) */
  room: string;
  /** one per attendee: the attendee's name and namespace (prefix + name) */
  attendees: Array<{ name: string; namespace: string }>;
}

export interface RoomFlags {
  attendees?: number;
  names?: string;
  prefix?: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `--attendees 3` → attendee-1..3; `--names ana,bo` → attendee-ana, attendee-bo. */
export function roomSpec(lab: string, f: RoomFlags): RoomSpec {
  const prefix = f.prefix ?? 'attendee-';
  const room = prefix.replace(/-+$/, '');
  if (!DNS_LABEL.test(room) || room.length > 40)
    throw new UsageError(
      `--prefix ${prefix}: expected lower-case letters, digits and dashes (at most 40), e.g. attendee-`,
    );
  if ((f.attendees === undefined) === (f.names === undefined))
    throw new UsageError('say who is in the room: --attendees N or --names ana,bo,... (one of them)');
  const names = f.names
    ? f.names
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
    : Array.from({ length: f.attendees ?? 0 }, (_, i) => String(i + 1));
  if (!names.length) throw new UsageError('a room needs at least one attendee');
  const attendees = names.map((name) => ({ name, namespace: `${prefix}${name}` }));
  for (const a of attendees)
    if (!DNS_LABEL.test(a.namespace) || a.namespace.length > 63)
      throw new UsageError(`attendee ${a.name}: ${a.namespace} is not a namespace name (a-z, 0-9, -, at most 63)`);
  if (new Set(names).size !== names.length) throw new UsageError(`--names ${f.names}: a name is given twice`);
  return { lab, room, attendees };
}

/** The labels of every object the room makes; an attendee's objects also name the attendee. */
export function roomLabels(spec: Pick<RoomSpec, 'lab' | 'room'>, attendee?: string): Record<string, string> {
  return {
    [MANAGED_BY]: 'podlab',
    [LAB_LABEL]: spec.lab,
    [ROOM_LABEL]: spec.room,
    ...(attendee ? { [ATTENDEE_LABEL]: attendee } : {}),
  };
}

/** The selector of a room's objects. */
export const roomSelector = (room: string) => `${MANAGED_BY}=podlab,${ROOM_LABEL}=${room}`;
