// What a runtime profile's table holds (the tables themselves, with their sources, are tables.ts): how a
// profile is detected, how a source sizes its guest, and each expectation a check relies on.

/** One way a source says a guest is sized. */
export interface Reading {
  label: string;
  /** the value on this reading, from the pod's limit (cores or bytes; 0 = no limit), its overhead and the node's CPUs */
  value(limit: number, overhead: number, nodeCpus: number): number;
}

/** The label `podlab cluster up --profile aks` puts on its kata-vm-isolation: the runtime really behind it. */
export const BACKED_BY_LABEL = 'podlab.dev/backed-by';

/** Which RuntimeClasses are this profile, and its rank when a cluster offers several (the lowest is used). */
export interface Detection {
  rank: number;
  match(name: string, handler: string, labels: Record<string, string>): boolean;
}

export interface RuntimeProfile {
  id: string;
  /** RuntimeClass names (or handlers) this table is for, as prose; `detect` is the rule */
  runtimeClasses: string[];
  detect: Detection;
  /** what answers the pod's system calls */
  kernel: 'guest VM kernel' | 'gVisor Sentry';
  /** CPUs the pod sees (`nproc`): each reading a source gives */
  vcpus: Reading[];
  /** RAM the guest is given; MemTotal in the guest may be lower by what the guest kernel reserves (`reserved`) */
  memory: { readings: Reading[]; reserved: (ram: number) => number; tolerance: (ram: number) => number };
  /** a privileged sandboxed pod: whose devices it gets */
  privilegedDevices: string;
  /** hostNetwork on a sandboxed pod: what happens, and whether an attendee may try it on a shared node */
  hostNetwork: { behaviour: string; attendeeSafe: boolean };
  /** over its memory limit: the container is OOMKilled, or only a process in it (the pod may end Succeeded) */
  oom: { containerOomKilled: 'always' | 'or only a process'; note: string };
  /**
   * Set where this profile's RuntimeClass is served by another runtime (podlab's `cluster up --profile aks`:
   * gVisor behind kata-vm-isolation): what really runs the pods. A check whose truth needs the real VM guest
   * (its sizing) skips, naming the profile; the others run as on the real runtime.
   */
  standIn?: string;
  /** the RuntimeClass's `overhead.podFixed` where the platform sets it (planning a room without its cluster) */
  overhead?: { cpu?: string; memory?: string; source: string };
}
