// podlab doctor: the embedded cluster passes every preflight check; --no-pull, a missing kubectl and an identity
// that may not create namespaces are SKIPs with the reason; an API server that does not answer fails it.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { parseTap } from '../helpers/tap.js';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { cluster, doctor, doctorLeftovers, pointNamed, points } from '../helpers/doctor.js';

t.test('the embedded cluster passes every preflight check, the pull test included', async (t) => {
  const r = await doctor(EMBEDDED_KUBECONFIG);
  t.equal(r.exitCode, 0, r.stdout);
  const final = await parseTap(r.stdout);
  t.equal(final.ok, true);
  t.match(r.stdout, /ok 1 - API server reachable \(v1\.32\.\d+\)/);
  t.match(r.stdout, /ok \d+ - RBAC allows create pods\/exec/);
  t.match(r.stdout, /ok \d+ - sandbox RuntimeClass: gvisor \(gvisor\)/);
  t.match(r.stdout, /ok \d+ - a Ready, schedulable node for gvisor/);
  const all = await points(r.stdout);
  const rc = await cluster.node.readRuntimeClass({ name: 'gvisor' });
  t.same(
    pointNamed(all, /^sandbox RuntimeClass/)?.diag,
    {
      profile: 'gvisor',
      handler: rc.handler,
      overhead: rc.overhead?.podFixed
        ? Object.fromEntries(Object.entries(rc.overhead.podFixed).map(([k, v]) => [k, String(v)]))
        : 'none',
      nodeSelector: rc.scheduling?.nodeSelector ?? 'none',
      tolerations: rc.scheduling?.tolerations?.length ? rc.scheduling.tolerations.map(String) : 'none',
    },
    "the RuntimeClass's profile, handler, overhead and scheduling as the API has them",
  );
  t.equal(rc.handler, 'runsc');
  const pull = pointNamed(all, /^the lab image /);
  t.equal(pull?.name, 'the lab image 127.0.0.1:5000/podlab-lab:1.0 can be pulled with RuntimeClass gvisor');
  t.equal(pull?.ok, true);
  t.equal(pull?.diag?.node, 'podlab', 'the pod got to the node');
  t.match(pointNamed(all, /namespace podlab-doctor-[0-9a-f]{6} is removed$/), { ok: true, skip: false });
  t.same(await doctorLeftovers(), []);
});

t.test('--no-pull skips the pull test with the reason', async (t) => {
  const r = await doctor(EMBEDDED_KUBECONFIG, ['--no-pull']);
  t.equal(r.exitCode, 0);
  t.match(r.stdout, /\nok \d+ - the lab image can be pulled # SKIP --no-pull\n/);
  t.notMatch(r.stdout, /podlab-doctor-/);
});

t.test(
  'an identity that may not create namespaces gets the pull test as a SKIP with the reason, not a failure',
  async (t) => {
    const ns = `doctor-viewer-${process.pid}`;
    const rbac = 'rbac.authorization.k8s.io/v1';
    const binding = (role: string) => ({
      apiVersion: rbac,
      kind: 'ClusterRoleBinding',
      metadata: { name: `${ns}-${role}` },
    });
    const role = { apiVersion: rbac, kind: 'ClusterRole', metadata: { name: ns } };
    t.teardown(async () => {
      for (const o of [binding('view'), binding('detect'), role])
        await cluster.objects.delete(o as never).catch(() => undefined);
      await cluster.deleteNamespace(ns, 120_000).catch(() => undefined);
    });
    await cluster.core.createNamespace({ body: { metadata: { name: ns } } });
    await cluster.core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'viewer' } } });
    // `view`, plus what doctor reads before the pull test (nodes, RuntimeClasses): no right to create anything.
    const rules = [
      { apiGroups: ['', 'node.k8s.io'], resources: ['nodes', 'runtimeclasses'], verbs: ['get', 'list', 'watch'] },
    ];
    await cluster.objects.create({ ...role, rules } as never);
    for (const [name, roleName] of [
      ['view', 'view'],
      ['detect', ns],
    ] as const) {
      await cluster.objects.create({
        ...binding(name),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
        subjects: [{ kind: 'ServiceAccount', name: 'viewer', namespace: ns }],
      } as never);
    }
    const tokenRequest = { name: 'viewer', namespace: ns, body: { spec: { expirationSeconds: 600, audiences: [] } } };
    const token = (await cluster.core.createNamespacedServiceAccountToken(tokenRequest)).status?.token;
    const server = cluster.kubeconfig.getCurrentCluster()!;
    const ca = server.caData ?? readFileSync(server.caFile!).toString('base64');
    const kubeconfig = `${t.testdir()}/viewer.kubeconfig`;
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'v',
        clusters: [{ name: 'c', cluster: { server: server.server, 'certificate-authority-data': ca } }],
        users: [{ name: 'v', user: { token } }],
        contexts: [{ name: 'v', context: { cluster: 'c', user: 'v' } }],
      }),
    );
    const r = await doctor(kubeconfig);
    t.equal(r.exitCode, 3, 'the RBAC points for a run fail');
    t.match(
      r.stdout,
      /\nok \d+ - the lab image \S+ can be pulled with RuntimeClass gvisor # SKIP this identity may not create namespaces, delete namespaces, create pods/,
    );
    t.notMatch(r.stdout, /podlab-doctor-/, 'no namespace made, none to remove');
  },
);

t.test('without kubectl on PATH that line is a SKIP with the reason', async (t) => {
  const r = await doctor(EMBEDDED_KUBECONFIG, ['--no-pull'], '/nonexistent');
  t.equal(r.exitCode, 0);
  t.match(r.stdout, /ok \d+ - kubectl on PATH[^\n]*# SKIP kubectl not found/);
});

t.test('an unreachable API server fails the preflight with exit 3', async (t) => {
  const kubeconfig = `${t.testdir()}/unreachable.kubeconfig`;
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\nusers:\n- name: u\n  user: {token: x}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\n`,
  );
  const r = await doctor(kubeconfig);
  t.equal(r.exitCode, 3);
  t.match(r.stdout, /not ok 1 - API server reachable/);
});
