// The embedded cluster's acceptance (issue 2) for what runs on it, checked on the real cluster that `npm test`
// brought up: runc and gVisor pods (each its own kernel or not), pod network and a ClusterIP Service, the lab image
// from the loopback registry, NetworkPolicy enforced by kube-router, and OOMKilled under both runtimes.
import t from 'tap';
import { execa } from 'execa';
import { kubectl, podManifest } from './kubectl.js';

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
