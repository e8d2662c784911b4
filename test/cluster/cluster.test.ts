// The embedded cluster's acceptance (issue 2), checked on the real cluster that `npm test` brought up.
import t from 'tap';
import { execa } from 'execa';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { clusterScript, kubectl, podManifest } from './kubectl.js';

const ns = `cluster-test-${process.pid}`;
const NODE_KERNEL_PATH = '{.items[0].status.nodeInfo.kernelVersion}';

async function ok(args: string[], input?: string): Promise<string> {
  const r = await kubectl(args, input);
  if (r.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

t.before(async () => {
  await ok(['create', 'namespace', ns]);
  await ok(['wait', '-n', ns, '--for=jsonpath={.metadata.name}=default', 'serviceaccount/default', '--timeout=60s']);
});
t.teardown(async () => {
  await kubectl(['delete', 'namespace', ns, '--wait=true', '--timeout=120s']);
});

t.test('one Ready node, and a second `up` is idempotent', async (t) => {
  const nodes = (await ok(['get', 'nodes', '--no-headers'])).split('\n');
  t.equal(nodes.length, 1, 'exactly one node');
  t.match(nodes[0], /\sReady\s/, 'the node is Ready');
  const again = await execa('bash', [clusterScript, 'up'], { reject: false, all: true });
  t.equal(again.exitCode, 0, '`up` on a running cluster exits 0');
  t.match(again.all, /already running/, 'and leaves the running cluster alone');
  const status = await execa('bash', [clusterScript, 'status'], { reject: false });
  t.equal(status.exitCode, 0, '`status` reports healthy');
});

t.test('runc and gVisor pods run; only the gVisor one has its own kernel', async (t) => {
  await ok(['apply', '-n', ns, '-f', '-'], podManifest({ name: 'normal', command: ['sleep', '3600'] }));
  await ok(
    ['apply', '-n', ns, '-f', '-'],
    podManifest({ name: 'sandboxed', runtimeClassName: 'gvisor', command: ['sleep', '3600'] }),
  );
  await ok(['wait', '-n', ns, '--for=condition=Ready', 'pod/normal', 'pod/sandboxed', '--timeout=180s']);
  const nodeKernel = await ok(['get', 'nodes', '-o', `jsonpath=${NODE_KERNEL_PATH}`]);
  const normalKernel = await ok(['exec', '-n', ns, 'normal', '--', 'uname', '-r']);
  const sandboxKernel = await ok(['exec', '-n', ns, 'sandboxed', '--', 'uname', '-r']);
  t.equal(normalKernel, nodeKernel, 'a runc pod shares the node kernel');
  t.not(sandboxKernel, nodeKernel, 'a gVisor pod reports a kernel of its own');
  t.match(sandboxKernel, /^\d+\.\d+\.\d+/, 'which still looks like a kernel version');
});

t.test('pods ping each other and a ClusterIP Service answers', async (t) => {
  const ip = async (pod: string) => ok(['get', 'pod', '-n', ns, pod, '-o', 'jsonpath={.status.podIP}']);
  const [normalIp, sandboxIp] = [await ip('normal'), await ip('sandboxed')];
  const ping = (from: string, to: string) => kubectl(['exec', '-n', ns, from, '--', 'ping', '-c', '3', '-W', '2', to]);
  t.equal((await ping('normal', sandboxIp)).exitCode, 0, 'runc → gVisor ping');
  t.equal((await ping('sandboxed', normalIp)).exitCode, 0, 'gVisor → runc ping');

  await ok(
    ['apply', '-n', ns, '-f', '-'],
    podManifest({
      name: 'web',
      labels: { app: 'web' },
      command: ['sh', '-c', 'mkdir -p /www && echo hello-from-web > /www/index.html && exec httpd -f -p 8080 -h /www'],
    }),
  );
  await ok(
    ['apply', '-n', ns, '-f', '-'],
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    }),
  );
  await ok(['wait', '-n', ns, '--for=condition=Ready', 'pod/web', '--timeout=120s']);
  await ok(['wait', '-n', ns, '--for=jsonpath={.subsets[0].addresses[0].ip}', 'endpoints/web', '--timeout=60s']);
  const clusterIp = await ok(['get', 'service', '-n', ns, 'web', '-o', 'jsonpath={.spec.clusterIP}']);
  for (const from of ['normal', 'sandboxed']) {
    // busybox's static wget crashes in this image, so speak HTTP through nc.
    const request = `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 ${clusterIp} 80`;
    // kube-proxy writes the Service's rules a moment after its endpoints exist: ask again for up to 30 s.
    const ask = () => kubectl(['exec', '-n', ns, from, '--', 'sh', '-c', request]);
    let r = await ask();
    for (const deadline = Date.now() + 30_000; !/^HTTP/.test(r.stdout) && Date.now() < deadline; r = await ask()) {
      await new Promise((res) => setTimeout(res, 1_000));
    }
    t.match(r.stdout, /^HTTP\/1\.[01] 200/, `the Service answers a ${from} pod`);
    t.match(r.stdout, /hello-from-web/, `with the web pod's page`);
  }
});

t.test("the lab image is pulled from the loopback registry, with Kubernetes' default policy for its tag", async (t) => {
  const listeners = (await execa('ss', ['-ltnH', 'sport = :5000'])).stdout.trim().split('\n');
  t.equal(listeners.length, 1, 'one listener on port 5000');
  t.match(listeners[0], /\s127\.0\.0\.1:5000\s/, 'on loopback only');
  const image = '127.0.0.1:5000/podlab-lab:1.0';
  await ok(
    ['apply', '-n', ns, '-f', '-'],
    podManifest({ name: 'pulled', image, imagePullPolicy: 'Always', command: ['sleep', '3600'] }),
  );
  await ok(
    ['apply', '-n', ns, '-f', '-'],
    podManifest({ name: 'defaulted', image, imagePullPolicy: null, command: ['sleep', '3600'] }),
  );
  await ok(['wait', '-n', ns, '--for=condition=Ready', 'pod/pulled', 'pod/defaulted', '--timeout=180s']);
  const events = await ok([
    'get',
    'events',
    '-n',
    ns,
    '--field-selector',
    'involvedObject.name=pulled,reason=Pulled',
    '-o',
    'jsonpath={.items[*].message}',
  ]);
  t.match(
    events,
    /Successfully pulled image "127\.0\.0\.1:5000\/podlab-lab:1\.0"/,
    'kubelet pulled it through containerd from the registry',
  );
  const policy = await ok([
    'get',
    'pod',
    '-n',
    ns,
    'defaulted',
    '-o',
    'jsonpath={.spec.containers[0].imagePullPolicy}',
  ]);
  t.equal(policy, 'IfNotPresent', 'a tag other than latest defaults to IfNotPresent, as the manifests say');
  await ok(['delete', 'pod', '-n', ns, 'pulled', 'defaulted', '--wait=false']);
});

t.test('kube-router enforces NetworkPolicy, on gVisor pods too', async (t) => {
  const ip = async (pod: string) => ok(['get', 'pod', '-n', ns, pod, '-o', 'jsonpath={.status.podIP}']);
  const [normalIp, sandboxIp] = [await ip('normal'), await ip('sandboxed')];
  const ping = async (from: string, to: string) =>
    (await kubectl(['exec', '-n', ns, from, '--', 'ping', '-c', '2', '-W', '2', to])).exitCode;
  const policy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny-to-sandboxed' },
    spec: { podSelector: { matchLabels: { app: 'sandboxed' } }, policyTypes: ['Ingress'] },
  };
  await ok(['apply', '-n', ns, '-f', '-'], JSON.stringify(policy));
  // kube-router applies a policy within a second or two of seeing it.
  let blocked = false;
  for (let i = 0; i < 10 && !blocked; i++) blocked = (await ping('normal', sandboxIp)) !== 0;
  t.ok(blocked, 'runc → gVisor ping is blocked by an ingress deny-all on the gVisor pod');
  t.equal(await ping('sandboxed', normalIp), 0, "the gVisor pod's own egress still works");
  await ok(['delete', 'networkpolicy', '-n', ns, 'deny-to-sandboxed']);
  let open = false;
  for (let i = 0; i < 10 && !open; i++) open = (await ping('normal', sandboxIp)) === 0;
  t.ok(open, 'without the policy the ping answers again');
});

t.test('a pod past its memory limit ends OOMKilled under both runtimes', async (t) => {
  for (const [name, runtimeClassName] of [
    ['oom-runc', undefined],
    ['oom-gvisor', 'gvisor'],
  ] as const) {
    await ok(
      ['apply', '-n', ns, '-f', '-'],
      podManifest({
        name,
        runtimeClassName,
        restartPolicy: 'Never',
        limits: { cpu: '500m', memory: '128Mi' },
        command: ['stress-ng', '--vm', '1', '--vm-bytes', '512M', '--oomable', '--timeout', '60s'],
      }),
    );
  }
  for (const name of ['oom-runc', 'oom-gvisor']) {
    await ok([
      'wait',
      '-n',
      ns,
      `pod/${name}`,
      '--timeout=180s',
      '--for=jsonpath={.status.containerStatuses[0].state.terminated.reason}=OOMKilled',
    ]).catch(() => '');
    const reason = await ok([
      'get',
      'pod',
      '-n',
      ns,
      name,
      '-o',
      'jsonpath={.status.containerStatuses[0].state.terminated.reason}',
    ]);
    t.equal(reason, 'OOMKilled', `${name} was OOMKilled`);
  }
});

t.test('down stops everything it started and up works again', async (t) => {
  const pidsDir = '/run/podlab/pids';
  const pids = readdirSync(pidsDir).map((f) => Number(readFileSync(`${pidsDir}/${f}`, 'utf8')));
  t.ok(pids.length >= 9, 'every component (registry and kube-router too) has a pid file before down');
  const down = await execa('bash', [clusterScript, 'down'], { reject: false, all: true });
  t.equal(down.exitCode, 0, 'down exits 0');
  const alive = pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
  t.same(alive, [], 'no component process survives down');
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .filter((l) => /\s(\/var\/lib\/podlab|\/run\/podlab|\/run\/netns\/cni-)/.test(l));
  t.same(mounts, [], 'no mount of the cluster remains');
  const netns = await execa('ip', ['netns', 'list']);
  t.notMatch(netns.stdout, /cni-/, 'no pod network namespace remains');
  t.notMatch(
    (await execa('iptables-save', ['-t', 'filter'])).stdout,
    /KUBE-ROUTER|KUBE-POD-FW-|KUBE-NWPLCY-/,
    'no kube-router chain remains',
  );
  t.notMatch((await execa('ipset', ['list', '-n'])).stdout, /^KUBE-(SRC|DST)-/m, 'nor its ipsets');
  // Another program on a component's port: up says which, instead of a component dying at start-up.
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(10259, '127.0.0.1', resolve));
  const blocked = await execa('bash', [clusterScript, 'up'], { reject: false, all: true });
  await new Promise((resolve) => squatter.close(resolve));
  t.equal(blocked.exitCode, 3, 'up refuses while a port is taken');
  t.match(
    blocked.all,
    new RegExp(`port 10259, which kube-scheduler needs, is taken by another process \\(node, pid ${process.pid}\\)`),
    'it names the port, the component and the holder',
  );
  const up = await execa('bash', [clusterScript, 'up'], { reject: false, all: true });
  t.equal(up.exitCode, 0, 'up works again after down');
  t.match(await ok(['get', 'nodes', '--no-headers']), /\sReady\s/, 'with a Ready node');
});
