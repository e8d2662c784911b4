// One table per sandbox runtime profile: every runtime-specific expectation a check relies on, each with its source URL
// and the date it was last checked against that source ("checked YYYY-MM-DD"; Microsoft's pages were read in their
// source repository, MicrosoftDocs/azure-aks-docs, at the commit named). What no source says is marked NOT DOCUMENTED
// (confirm those on a run on AKS: docs/aks.md). Where the sources disagree or are silent, a table lists every
// reading, and the checks (profiles/verdicts.ts) accept only what holds on all of them.
// Keyed by profile id; each table also says which RuntimeClasses are its profile (`detect`), which k8s/detect.ts reads.

import { BACKED_BY_LABEL, type RuntimeProfile } from './profile.js';

const MI = 1024 ** 2;

export type { Detection, Reading, RuntimeProfile } from './profile.js';

// Kata Containers, as upstream ships it (kata-qemu, kata-clh, other kata-* classes, OpenShift's `kata`).
const KATA_UPSTREAM: Omit<RuntimeProfile, 'id' | 'runtimeClasses' | 'detect'> = {
  kernel: 'guest VM kernel',
  // https://github.com/kata-containers/kata-containers/blob/main/docs/design/vcpu-handling-runtime-go.md
  // sections "Default number of virtual CPUs" and "Container lifecycle" (checked 2026-12-05): the VM boots with
  // default_vcpus (1) and the runtime adds the vCPUs a container's CPU limit needs on top; without a CPU limit
  // it adds none. default_maxvcpus caps them at the host's CPUs (configuration-*.toml, [hypervisor]).
  vcpus: [{ label: 'default_vcpus (1) + ceil(limit)', value: (l) => 1 + Math.ceil(l) }],
  memory: {
    // https://github.com/kata-containers/kata-containers/blob/main/src/runtime/config/configuration-qemu.toml.in
    // and configuration-clh.toml.in, [hypervisor] default_memory = 2048 (MiB) (checked 2026-11-30, not re-checked):
    // the VM boots with it and the runtime hot-plugs each container's memory limit on top.
    readings: [{ label: 'default_memory (2048Mi) + limit', value: (l) => 2048 * MI + l }],
    // MemTotal is the VM's RAM minus what the guest kernel keeps
    // (https://learn.microsoft.com/azure/aks/considerations-pod-sandboxing section "Kata components" (checked
    // 2026-12-06, azure-aks-docs fb060abe and the live page's table): the guest kernel and Kata agent use the pod VM's
    // memory). No source gives a number: this bound (64Mi + 10%) is podlab's own margin, wide enough for a small guest
    // kernel and narrow enough to keep the readings apart.
    reserved: (ram) => 64 * MI + ram * 0.1,
    tolerance: () => 0,
  },
  // https://github.com/kata-containers/kata-containers/blob/main/docs/Limitations.md section "docker run --privileged"
  // (checked 2026-12-05): guest devices, "may also be granted full access to a subset of host devices"
  // unless containerd sets privileged_without_host_devices (docs/how-to/privileged.md).
  privilegedDevices:
    "the guest VM's devices; host devices only where containerd's privileged_without_host_devices is off",
  // Limitations.md section "docker --net=host" (checked 2026-12-05): not supported, and it "may result
  // in the Kata Container networking setup modifying, re-configuring and therefore possibly breaking the host
  // networking setup".
  hostNetwork: { behaviour: "not supported; may reconfigure and break the node's networking", attendeeSafe: false },
  // Limitations.md section "events command" (checked 2026-12-05): OOM notifications are not fully
  // supported, so the container need not end OOMKilled. The guest kernel's OOM killer picks a process inside the
  // VM (Linux's own rule), which may be only the stress-ng worker over the limit: the pod can then end Succeeded.
  // NOT DOCUMENTED: neither Kata's nor Microsoft's pages say which process goes or how the pod ends; the check
  // accepts either outcome until a run on a real Kata guest shows which.
  oom: {
    containerOomKilled: 'or only a process',
    note: "the guest kernel's OOM killer acts inside the VM; the node never sees the pressure",
  },
};

// AKS Pod Sandboxing: Kata on Cloud Hypervisor (or the preview's MSHV), Azure Linux nodes.
const KATA_AKS: Omit<RuntimeProfile, 'id' | 'runtimeClasses' | 'detect'> = {
  ...KATA_UPSTREAM,
  // https://learn.microsoft.com/azure/aks/considerations-pod-sandboxing section "CPU management" (checked 2026-12-06,
  // azure-aks-docs fb060abe, "Pod CPU limit" and "Example declarations"): a fractional CPU limit is rounded up to the
  // pod VM's vCPUs (1.5 -> 2; a cgroup still holds the containers to 1.5), and without a CPU limit the pod VM gets one
  // vCPU "if the capacity is available on the node".
  // Upstream Kata's default_vcpus + ceil(limit) (above) is not AKS's rule: AKS has this one reading.
  vcpus: [{ label: 'ceil(limit), 1 without a limit', value: (l) => Math.max(1, Math.ceil(l)) }],
  memory: {
    // https://learn.microsoft.com/azure/aks/considerations-pod-sandboxing section "Pod VM memory size" (checked
    // 2026-12-06, azure-aks-docs fb060abe): the VM is the pod's memory limit, 512Mi without one; "Pod VM memory sizes
    // under 128Mi aren't supported" (section "Reference usage values"; the lab's 128Mi pods sit at that floor).
    // Seed 001 of this lab said a 2 GB default, and Kata's default_memory (2048Mi) is added to the limit upstream
    // (above): until a run on AKS settles it, accept each reading.
    readings: [
      { label: 'memory limit (512Mi without one)', value: (l) => l || 512 * MI },
      { label: '512Mi default + limit', value: (l) => 512 * MI + l },
      { label: 'default_memory (2048Mi) + limit', value: (l) => 2048 * MI + l },
    ],
    reserved: KATA_UPSTREAM.memory.reserved,
    tolerance: () => 0,
  },
  // https://learn.microsoft.com/azure/aks/use-pod-sandboxing section "Limitations" (checked 2026-12-06, azure-aks-docs
  // fb060abe): Kata host-network access is not supported; Kata's own warning (above) is why attendees do not try it.
  hostNetwork: KATA_UPSTREAM.hostNetwork,
  // https://learn.microsoft.com/azure/aks/considerations-pod-sandboxing section "Runtime class memory overhead"
  // (checked 2026-12-06, azure-aks-docs fb060abe): the default kata-vm-isolation class's overhead is 600Mi (the 512Mi
  // default pod VM plus about 88Mi of host components); the page names no default CPU overhead.
  overhead: {
    memory: '600Mi',
    source: 'learn.microsoft.com/azure/aks/considerations-pod-sandboxing, "Runtime class memory overhead"',
  },
  oom: {
    ...KATA_UPSTREAM.oom,
    // https://learn.microsoft.com/azure/aks/considerations-pod-sandboxing section "Pod VM memory size" (checked
    // 2026-12-06, azure-aks-docs fb060abe): the guest kernel, Kata agent and workload share the VM's memory, so the
    // guest's OOM killer picks a process inside the VM.
    note: "the guest kernel's OOM killer acts inside the VM (sized from the limit); the node never sees the pressure",
  },
};

const GVISOR: Omit<RuntimeProfile, 'id' | 'runtimeClasses' | 'detect'> = {
  kernel: 'gVisor Sentry',
  // https://gvisor.dev/docs/user_guide/compatibility/ lists no CPU sizing; runsc's --cpu-num-from-quota flag
  // (runsc/config/flags.go) makes nproc follow the CPU quota (at least 2), without it the Sentry reports the
  // host's CPUs (measured on podlab's cluster: 2 = the node's, for limits 500m and 1500m).
  vcpus: [
    { label: "the node's CPUs", value: (_l, _o, node) => node },
    {
      label: 'ceil(quota), at least 2 (--cpu-num-from-quota)',
      value: (l, _o, node) => Math.min(node, Math.max(2, Math.ceil(l || node))),
    },
  ],
  memory: {
    // Measured on podlab's cluster (labs/pod-sandboxing/05-resources.md): MemTotal = the pod cgroup's limit,
    // container limits + RuntimeClass overhead (256Mi + 64Mi = 320Mi). gVisor's docs
    // (https://gvisor.dev/docs/architecture_guide/resources/ section "Memory") say the Sentry accounts memory
    // in the host's pod cgroup; they do not name MemTotal.
    readings: [{ label: 'limit + RuntimeClass overhead (the pod cgroup)', value: (l, o) => l + o }],
    reserved: () => 0,
    tolerance: (ram) => Math.max(8 * MI, ram * 0.05),
  },
  // https://gvisor.dev/docs/user_guide/compatibility/ : no device passthrough besides what runsc is told to
  // pass (GPUs/TPUs); measured: /dev of a privileged pod lists node device nodes, opening them fails (ENXIO).
  privilegedDevices: 'device nodes may be listed, but the Sentry does not pass host devices through',
  // https://gvisor.dev/docs/user_guide/networking/ : the Sentry runs its own network stack (netstack); measured:
  // a hostNetwork gVisor pod starts with no interface, not even loopback, and the node keeps its network.
  hostNetwork: {
    behaviour: "starts with no network interface: the Sentry's netstack gets none of the node's",
    attendeeSafe: true,
  },
  // Measured: the Sentry runs in the pod's cgroup, so the host's OOM killer ends the whole sandbox and every
  // container of the pod ends OOMKilled (exit 128).
  oom: {
    containerOomKilled: 'always',
    note: "the host kills the whole sandbox in the pod's cgroup: every container ends OOMKilled",
  },
};

export const PROFILE_TABLES: Record<string, RuntimeProfile> = {
  'aks-kata': {
    id: 'aks-kata',
    runtimeClasses: ['kata-vm-isolation'],
    detect: { rank: 0, match: (n, _h, l) => n === 'kata-vm-isolation' && l[BACKED_BY_LABEL] !== 'gvisor' },
    ...KATA_AKS,
  },
  // podlab's `cluster up --profile aks`: AKS's names, labels, overhead and scheduling, gVisor behind them.
  'aks-kata-podlab': {
    id: 'aks-kata-podlab',
    runtimeClasses: ['kata-vm-isolation (label podlab.dev/backed-by=gvisor)'],
    detect: { rank: 0, match: (n, _h, l) => n === 'kata-vm-isolation' && l[BACKED_BY_LABEL] === 'gvisor' },
    ...KATA_AKS,
    standIn: 'gVisor',
  },
  'aks-kata-preview': {
    id: 'aks-kata-preview',
    runtimeClasses: ['kata-mshv-vm-isolation'],
    detect: { rank: 1, match: (n) => n === 'kata-mshv-vm-isolation' },
    ...KATA_AKS,
  },
  kata: {
    id: 'kata',
    runtimeClasses: ['kata-qemu', 'kata-clh', 'kata-*'],
    detect: { rank: 2, match: (n, h) => n.startsWith('kata-') || (h.startsWith('kata') && n !== 'kata') },
    ...KATA_UPSTREAM,
  },
  'openshift-kata': {
    id: 'openshift-kata',
    runtimeClasses: ['kata'],
    detect: { rank: 3, match: (n) => n === 'kata' },
    ...KATA_UPSTREAM,
  },
  gvisor: {
    id: 'gvisor',
    runtimeClasses: ['gvisor', 'runsc'],
    detect: { rank: 4, match: (n, h) => n === 'gvisor' || h === 'runsc' || h === 'gvisor' },
    ...GVISOR,
  },
};

/** Why a check of the real VM guest cannot judge this profile (a stand-in runtime), or undefined. */
export const standInReason = (p: RuntimeProfile, what: string) =>
  p.standIn
    ? `profile ${p.id}: ${what} needs a real Kata VM guest, and ${p.standIn} stands in for it on this cluster`
    : undefined;

/** The table for a detected sandbox (its `profile`), or undefined for a RuntimeClass no table describes. */
export function profileFor(sandbox: { profile: string } | undefined): RuntimeProfile | undefined {
  return sandbox ? PROFILE_TABLES[sandbox.profile] : undefined;
}
