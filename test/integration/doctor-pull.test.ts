// doctor's pull test failing: an image no node can pull (the kubelet's reason), and a registry that never
// answers (stopped at --pull-timeout, or by SIGINT). Each time its namespace is removed and nothing is left.
import t from 'tap';
import { execa } from 'execa';
import { createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { MANAGED_BY, RUN_LABEL } from '../../harness/src/k8s/cluster.js';
import { LEASE_SECONDS } from '../../harness/src/runner/lease.js';
import { cluster, doctor, doctorArgs, doctorLeftovers, pointNamed, points } from '../helpers/doctor.js';

/** A registry that accepts connections and never answers: a pull from it hangs. `connected` resolves at the first connection. */
async function hangingRegistry() {
  const sockets: Socket[] = [];
  let connected!: () => void;
  const first = new Promise<void>((resolve) => (connected = resolve));
  const server = createServer((s) => {
    sockets.push(s);
    connected();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const close = () => {
    sockets.forEach((s) => s.destroy());
    server.close();
  };
  return { image: `127.0.0.1:${port}/hangs:1`, connected: first, close };
}

t.test(
  'an image no node can pull fails the pull test with the kubelet’s reason, exit 3, and leaves nothing',
  async (t) => {
    const r = await doctor(EMBEDDED_KUBECONFIG, ['--image', '127.0.0.1:1/nope:1']);
    t.equal(r.exitCode, 3, r.stdout);
    const pull = pointNamed(await points(r.stdout), /^the lab image 127\.0\.0\.1:1\/nope:1 /);
    t.equal(pull?.ok, false);
    t.match(pull?.diag, {
      reason: /^(ErrImagePull|ImagePullBackOff)$/,
      message: /127\.0\.0\.1:1.*connection refused/,
      hint: /podlab cluster up/,
    });
    t.match(r.stdout, /\nok \d+ - the pull test's namespace podlab-doctor-\w+ is removed\n/);
    t.same(await doctorLeftovers(), []);
  },
);

t.test('a pull that hangs fails at --pull-timeout, saying where the pod got to', async (t) => {
  const registry = await hangingRegistry();
  t.teardown(registry.close);
  let asked = false;
  void registry.connected.then(() => (asked = true));
  // 10 s, not less: under a loaded CI node the gVisor sandbox alone has taken over 3 s, and until the kubelet
  // reaches the pull the pod is only "phase Pending", which is not the hang this test is about.
  const r = await doctor(EMBEDDED_KUBECONFIG, ['--image', registry.image, '--pull-timeout', '10']);
  t.equal(r.exitCode, 3, r.stdout);
  const pull = pointNamed(await points(r.stdout), /^the lab image /);
  t.match(pull, {
    ok: false,
    diag: { detail: /^neither pulled nor refused within 10s: on node podlab, container waiting: ContainerCreating/ },
  });
  t.ok(asked, 'the node did ask the registry: the pod got as far as the pull');
  t.same(await doctorLeftovers(), []);
});

t.test('SIGINT during the pull test still removes its namespace, then exits 130', async (t) => {
  const registry = await hangingRegistry();
  t.teardown(registry.close);
  const child = execa(process.execPath, doctorArgs(EMBEDDED_KUBECONFIG, ['--image', registry.image]), {
    reject: false,
    env: { PATH: process.env.PATH },
  });
  await registry.connected;
  const [ns] = (await cluster.core.listNamespace({ labelSelector: `${MANAGED_BY}=podlab` })).items.filter((n) =>
    n.metadata?.labels?.[RUN_LABEL]?.startsWith('doctor-'),
  );
  t.equal(ns?.metadata?.annotations?.[LEASE_SECONDS], '30', 'a short lease: a doctor killed outright is reaped soon');
  child.kill('SIGINT');
  const r = await child;
  t.equal(r.exitCode, 130, r.stdout + r.stderr);
  t.match(pointNamed(await points(r.stdout), /^the lab image /), { ok: false, diag: { detail: 'interrupted' } });
  t.match(r.stdout, /\nok \d+ - the pull test's namespace podlab-doctor-\w+ is removed\n/);
  t.same(await doctorLeftovers(), []);
});
