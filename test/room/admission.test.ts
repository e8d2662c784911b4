// The room's admission policy on the embedded cluster, as the attendee: the lab's own privileged-in-the-sandbox pod
// (manifests/pod-sandboxing/privileged.yaml) is admitted in the attendee's namespace; the same pod without its
// runtimeClassName, and the lab's hostNetwork pod without it, are refused with a message that says why and what to do.
// An ordinary pod without a RuntimeClass is not the policy's business.
import t from 'tap';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { clusterEnv } from '../cluster/kubectl.js';
import { podlab, repo } from '../helpers/room.js';

const prefix = `adm-${process.pid}-`;
const dir = `${t.testdirName}-kc`;
const manifest = (name: string, keepRuntimeClass: boolean) =>
  readFileSync(`${repo}manifests/pod-sandboxing/${name}.yaml`, 'utf8')
    .split('\n')
    .filter((l) => keepRuntimeClass || !/runtimeClassName:/.test(l))
    .join('\n')
    .replaceAll('${RUNTIME_CLASS}', 'gvisor')
    .replaceAll('${LAB_IMAGE}', '127.0.0.1:5000/podlab-lab:1.0')
    .replace(/^ {2}name: (.*)$/m, keepRuntimeClass ? '  name: $1' : '  name: $1-bare');
const asAttendee = async (args: string[], input: string) =>
  execa((await clusterEnv()).kubectl, ['--kubeconfig', `${dir}/ana.kubeconfig`, ...args], { reject: false, input });

t.before(async () => {
  const up = await podlab(['room', 'up', 'pod-sandboxing', '--names', 'ana', '--prefix', prefix, '--out', dir]);
  if (up.exitCode !== 0) throw new Error(`room up: ${up.stderr}`);
});
t.teardown(async () => {
  await podlab(['room', 'down', 'pod-sandboxing', '--prefix', prefix, '--out', dir]);
});

t.test("the lab's privileged pod in the sandbox is admitted, as the attendee", async (t) => {
  const r = await asAttendee(['create', '-f', '-'], manifest('privileged', true));
  t.equal(r.exitCode, 0, r.stderr);
  t.match(r.stdout, /pod\/privileged created/);
  await asAttendee(['delete', 'pod', 'privileged', '--grace-period=0', '--wait=false'], '');
});

t.test('the same pod without runtimeClassName is refused, and the message says why', async (t) => {
  for (const name of ['privileged', 'host-network']) {
    const r = await asAttendee(['create', '-f', '-'], manifest(name, false));
    t.not(r.exitCode, 0, `${name} without a RuntimeClass is refused`);
    t.match(r.stderr, new RegExp(`ValidatingAdmissionPolicy 'podlab-room-${prefix.slice(0, -1)}-sandbox-only'`));
    t.match(
      r.stderr,
      /a privileged, hostNetwork or hostPath pod is allowed in this room only with runtimeClassName: gvisor \(the sandbox\), where it reaches the sandbox's devices and network instead of the shared node's; add runtimeClassName: gvisor or drop the privilege/,
    );
  }
  const hostPath = manifest('privileged', false)
    .replace('securityContext: {privileged: true}', 'volumeMounts: [{name: h, mountPath: /h}]')
    .replace('  containers:', '  volumes: [{name: h, hostPath: {path: /}}]\n  containers:');
  const r = await asAttendee(['create', '-f', '-'], hostPath);
  t.match(r.stderr, /denied request: a privileged, hostNetwork or hostPath pod/, 'a hostPath volume too');
});

t.test('an ordinary pod without a RuntimeClass is admitted (server-side dry run)', async (t) => {
  const plain = manifest('privileged', false).replace('securityContext: {privileged: true}', 'securityContext: {}');
  const r = await asAttendee(['create', '--dry-run=server', '-f', '-'], plain);
  t.equal(r.exitCode, 0, r.stderr);
});
