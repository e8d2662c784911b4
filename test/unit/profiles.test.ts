import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROFILE_TABLES, profileFor, standInReason } from '../../harness/src/profiles/tables.js';
import {
  cpuVerdict,
  memoryVerdict,
  nodeDevicesAmong,
  oomVerdict,
  parsePartitions,
} from '../../harness/src/profiles/verdicts.js';
import { detectSandbox } from '../../harness/src/k8s/detect.js';
import { isLabImage, labImage } from '../../harness/src/scenario/image.js';

const MI = 1024 ** 2;
const aks = PROFILE_TABLES['aks-kata']!;
const kata = PROFILE_TABLES.kata!;
const gvisor = PROFILE_TABLES.gvisor!;

t.test('every profile detect.ts can name has a table, and nothing else does', async (t) => {
  const rc = (name: string, handler: string) => ({ metadata: { name }, handler });
  for (const [name, handler, id] of [
    ['kata-vm-isolation', 'kata', 'aks-kata'],
    ['kata-mshv-vm-isolation', 'kata', 'aks-kata-preview'],
    ['kata-qemu', 'kata-qemu'],
    ['kata-clh', 'kata-clh', 'kata'],
    ['kata', 'kata', 'openshift-kata'],
    ['gvisor', 'runsc', 'gvisor'],
  ]) {
    const found = profileFor(detectSandbox([rc(name!, handler!)]));
    t.ok(found, `${name} has a table`);
    if (id) t.equal(found?.id, id);
  }
  t.equal(profileFor({ profile: 'custom' }), undefined, 'a forced RuntimeClass no table knows');
  t.equal(
    profileFor({ profile: 'aks-kata-podlab' })?.standIn,
    'gVisor',
    "podlab's aks profile has its own table, saying what stands in",
  );
  t.equal(profileFor(undefined), undefined);
});

t.test('vCPUs: what one of the profile readings gives, from ceil(limit) up to the node', async (t) => {
  t.match(cpuVerdict(aks, { cpuLimit: 1.5, nodeCpus: 4, nproc: 2 }), {
    ok: true,
    matched: ['ceil(limit), 1 without a limit'],
  });
  t.match(cpuVerdict(aks, { cpuLimit: 0, nodeCpus: 4, nproc: 1 }), { ok: true }, 'AKS: one vCPU without a limit');
  t.match(
    cpuVerdict(aks, { cpuLimit: 1.5, nodeCpus: 4, nproc: 3 }),
    { ok: false, matched: [] },
    "AKS: default_vcpus + ceil(limit) is upstream Kata's rule, not AKS's",
  );
  t.match(cpuVerdict(kata, { cpuLimit: 1.5, nodeCpus: 4, nproc: 3 }), { ok: true }, 'upstream Kata: 1 + ceil(1.5)');
  t.match(cpuVerdict(kata, { cpuLimit: 1.5, nodeCpus: 4, nproc: 2 }), { ok: false }, 'upstream Kata: not 2 of 4');
  t.match(cpuVerdict(kata, { cpuLimit: 1.5, nodeCpus: 4, nproc: 1 }), { ok: false, matched: [] }, 'below ceil(limit)');
  t.match(cpuVerdict(kata, { cpuLimit: 1.5, nodeCpus: 4, nproc: 5 }), { ok: false }, "more than the node's");
  t.match(
    cpuVerdict(kata, { cpuLimit: 1.5, nodeCpus: 2, nproc: 2 }),
    { ok: true, matched: ['default_vcpus (1) + ceil(limit)'] },
    'capped at the node',
  );
  t.match(
    cpuVerdict(gvisor, { cpuLimit: 0.5, nodeCpus: 2, nproc: 2 }),
    { ok: true },
    'gVisor: the node (measured here)',
  );
  t.match(cpuVerdict(gvisor, { cpuLimit: 1.5, nodeCpus: 2, nproc: Number.NaN }), { ok: false }, 'no number read');
});

t.test('memory: consistent with one documented reading', async (t) => {
  const at = (p: typeof aks, memTotalMi: number, limitMi = 256, overheadMi = 0) =>
    memoryVerdict(p, { memLimit: limitMi * MI, overhead: overheadMi * MI, memTotal: memTotalMi * MI });
  t.match(
    at(aks, 220),
    { ok: true, matched: ['memory limit (512Mi without one)'] },
    'AKS: VM = limit, minus the guest kernel',
  );
  t.match(at(aks, 700), { ok: true, matched: ['512Mi default + limit'] });
  t.match(at(aks, 2200), { ok: true, matched: ['default_memory (2048Mi) + limit'] });
  t.match(at(aks, 300), { ok: false, matched: [] }, 'more than the limit, less than any default + limit');
  t.match(at(aks, 100), { ok: false }, 'far below the limit');
  t.match(at(kata, 220), { ok: false }, 'upstream Kata: the limit alone is not a reading');
  t.match(at(kata, 2250), { ok: true });
  t.match(at(gvisor, 320, 256, 64), { ok: true }, 'gVisor: limit + overhead, as measured');
  t.match(at(gvisor, 256, 256, 64), { ok: false }, 'gVisor without the overhead');
  t.match(at(aks, 220).expected, /memory limit \(512Mi without one\): 166Mi\.\.256Mi/);
});

t.test('OOM: the container, or where the profile says so only its worker', async (t) => {
  const workerLog = 'stress-ng: info:  [7] vm: assuming killed by OOM killer, bailing out (instance 0)';
  t.match(oomVerdict(gvisor, { reason: 'OOMKilled', exitCode: 128, phase: 'Failed', log: '' }), {
    ok: true,
    ended: true,
  });
  t.match(oomVerdict(aks, { reason: 'Completed', exitCode: 0, phase: 'Succeeded', log: workerLog }), {
    ok: true,
    matched: ['only a process OOM-killed'],
  });
  t.match(
    oomVerdict(aks, {
      reason: 'Completed',
      exitCode: 0,
      phase: 'Succeeded',
      log: 'stress-ng: info: successful run completed',
    }),
    { ok: false },
  );
  t.match(
    oomVerdict(gvisor, { reason: 'Completed', exitCode: 0, phase: 'Succeeded', log: workerLog }),
    { ok: false },
    'gVisor: the table says the container',
  );
  t.match(oomVerdict(aks, { phase: 'Running', log: '' }), { ok: false, ended: false, actual: 'still Running' });
});

t.test("devices: the node's are told from a guest's own", async (t) => {
  const node = parsePartitions(
    'major minor  #blocks  name\n\n   8        0   31457280 sda\n   8        1   31456239 sda1\n 254        0   20971520 vda\n',
  );
  t.same(node, [
    { name: 'sda', kib: 31457280 },
    { name: 'sda1', kib: 31456239 },
    { name: 'vda', kib: 20971520 },
  ]);
  t.same(nodeDevicesAmong([{ name: 'vda', kib: 262144 }], node), [], "a guest's vda of its own size");
  t.same(nodeDevicesAmong([{ name: 'pmem0', kib: 262144 }], node), []);
  t.same(nodeDevicesAmong([{ name: 'sda', kib: 31457280 }], node), [{ name: 'sda', kib: 31457280 }], "the node's disk");
  t.same(nodeDevicesAmong([{ name: 'vda' }], node), [{ name: 'vda' }], 'size unknown: the name decides');
});

t.test('hostNetwork is attendee-safe only where a source or a measurement says so', async (t) => {
  t.equal(aks.hostNetwork.attendeeSafe, false);
  t.equal(PROFILE_TABLES['aks-kata-preview']!.hostNetwork.attendeeSafe, false);
  t.equal(kata.hostNetwork.attendeeSafe, false);
  t.equal(gvisor.hostNetwork.attendeeSafe, true);
});

t.test('the lab image: the configured one, or any podlab-lab image', async (t) => {
  t.equal(
    labImage({}),
    '127.0.0.1:5000/podlab-lab:1.0',
    'local default: the loopback registry, a tag that is not latest',
  );
  t.ok(isLabImage('127.0.0.1:5000/podlab-lab:1.0', {}));
  t.equal(labImage({ LAB_IMAGE: 'myacr.azurecr.io/podlab-lab:1.0' }), 'myacr.azurecr.io/podlab-lab:1.0');
  t.ok(isLabImage('myacr.azurecr.io/podlab-lab:1.0', {}), "an ACR path the grader's environment does not know");
  t.ok(isLabImage('localhost/podlab-lab:latest', {}));
  t.ok(
    isLabImage('myacr.azurecr.io/workshop/lab:2', { LAB_IMAGE: 'myacr.azurecr.io/workshop/lab:2' }),
    'the configured image, whatever its name',
  );
  t.notOk(isLabImage('myacr.azurecr.io/workshop/lab:2', {}), 'another image, not configured');
  t.notOk(isLabImage('busybox:latest', {}));
  t.notOk(isLabImage('evil/podlab-lab-fake:1', {}));
  t.notOk(isLabImage(undefined, {}));
});

t.test('a stand-in runtime: checks of the real VM guest skip, naming the profile; real runtimes judge', async (t) => {
  const podlabAks = PROFILE_TABLES['aks-kata-podlab']!;
  t.match(
    standInReason(podlabAks, "the pod VM's memory"),
    /^profile aks-kata-podlab: the pod VM's memory needs a real Kata VM guest, and gVisor stands in/,
  );
  for (const p of [aks, kata, gvisor]) t.equal(standInReason(p, 'x'), undefined, `${p.id} is the real runtime`);
  t.same(
    { ...podlabAks, id: 'aks-kata', runtimeClasses: aks.runtimeClasses, detect: aks.detect, standIn: undefined },
    { ...aks, standIn: undefined },
    "otherwise AKS's own table",
  );
});

t.test('every AKS and Kata expectation names its source URL and the date it was checked', async (t) => {
  const src = readFileSync(fileURLToPath(new URL('../../harness/src/profiles/tables.ts', import.meta.url)), 'utf8');
  const kata = src.slice(src.indexOf('const KATA_UPSTREAM'), src.indexOf('const GVISOR'));
  const cited = [...kata.matchAll(/https:\/\/\S+/g)];
  t.ok(cited.length >= 6, `${cited.length} sources cited`);
  for (const m of cited) {
    const after = kata.slice(m.index, m.index + 260);
    t.match(after, /\(checked[\s/]+\d{4}-\d{2}(-\d{2})?[,)]/, `${m[0]}: checked on a date`);
  }
  for (const field of ['vcpus:', 'readings:', 'privilegedDevices:', 'hostNetwork:', 'oom:'])
    t.ok(kata.includes(field), `the Kata tables set ${field}`);
});

t.test('no AKS statement of the lab, the table or docs/aks.md rests on a page that was not read', async (t) => {
  const dir = fileURLToPath(new URL('../../labs/pod-sandboxing/', import.meta.url));
  const files = [
    ...readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .map((f) => join(dir, f)),
    fileURLToPath(new URL('../../harness/src/profiles/tables.ts', import.meta.url)),
    fileURLToPath(new URL('../../docs/aks.md', import.meta.url)),
  ];
  for (const f of files)
    t.notMatch(readFileSync(f, 'utf8'), /not re-read/, `${f}: every source read, or NOT DOCUMENTED`);
});
