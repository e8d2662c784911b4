// Reports and logs never carry credentials. A fixture lab puts the kubeconfig's secrets everywhere a scenario
// can (evidence, expected/actual, hints, thrown errors); every output of run, check and grade, in every
// format, on stdout, stderr and in files, is then searched for them on the embedded cluster.
import t from 'tap';
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const LAB = 'test/fixtures/run-labs/leaky';
const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);
const ns = `leak-${process.pid}`;
const dir = t.testdir();
const podlab = (args: string[], kubeconfig: string) =>
  execa(process.execPath, [`${repo}bin/podlab.js`, ...args], {
    cwd: repo,
    reject: false,
    env: { KUBECONFIG: kubeconfig },
    timeout: 300_000,
  });

/** The admin's client key: its base64 kubeconfig form and each line of the PEM. */
function adminKeySecrets(): string[] {
  const u = kc.getCurrentUser()!;
  const b64 = u.keyData ?? readFileSync(u.keyFile!).toString('base64');
  const pem = Buffer.from(b64, 'base64').toString();
  return [b64, ...pem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))];
}

let token = '';
const tokenKubeconfig = `${dir}/token.kubeconfig`;

t.before(async () => {
  await cluster.core.createNamespace({ body: { metadata: { name: ns } } });
  await cluster.core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'leaker' } } });
  await cluster.objects.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: ns },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'ServiceAccount', name: 'leaker', namespace: ns }],
  } as never);
  token =
    (
      await cluster.core.createNamespacedServiceAccountToken({
        name: 'leaker',
        namespace: ns,
        body: { spec: { expirationSeconds: 900, audiences: [] } },
      })
    ).status?.token ?? '';
  const server = kc.getCurrentCluster()!;
  writeFileSync(
    tokenKubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'ci',
      clusters: [
        {
          name: 'c',
          cluster: {
            server: server.server,
            'certificate-authority-data': server.caData ?? readFileSync(server.caFile!).toString('base64'),
          },
        },
      ],
      users: [{ name: 'ci', user: { token } }],
      contexts: [{ name: 'ci', context: { cluster: 'c', user: 'ci', namespace: ns } }],
    }),
  );
});
t.teardown(async () => {
  await cluster.objects
    .delete({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: ns } } as never)
    .catch(() => undefined);
  await cluster.deleteNamespace(ns, 120_000).catch(() => undefined);
});

t.test('no token, client key or kubeconfig secret in any report or log', async (t) => {
  t.ok(token.length > 100, 'a real ServiceAccount token to hunt for');
  const secrets = [token, ...adminKeySecrets()];
  const file = (name: string) => `${dir}/${name}`;
  const runs = await Promise.all([
    podlab(['run', LAB], EMBEDDED_KUBECONFIG),
    podlab(['run', LAB, '--reporter', 'junit', '--output', file('admin.xml')], EMBEDDED_KUBECONFIG),
    podlab(['run', LAB, '--reporter', 'json', '--output', file('admin.json')], EMBEDDED_KUBECONFIG),
    podlab(['run', LAB, '--reporter', 'json', '--output', file('token.json')], tokenKubeconfig),
    podlab(['run', LAB], tokenKubeconfig),
  ]);
  const reads = await Promise.all([
    podlab(['check', LAB, '--namespace', ns], tokenKubeconfig),
    podlab(['check', LAB, '--namespace', ns, '--reporter', 'json'], tokenKubeconfig),
    podlab(['check', LAB, '--namespace', ns, '--reporter', 'tap'], EMBEDDED_KUBECONFIG),
    podlab(['grade', LAB, '--namespaces', ns, '--format', 'json'], tokenKubeconfig),
    podlab(['grade', LAB, '--namespaces', ns, '--format', 'csv'], EMBEDDED_KUBECONFIG),
    podlab(['grade', LAB, '--namespaces', ns, '--format', 'junit', '--output', file('grade.xml')], tokenKubeconfig),
    podlab(['grade', LAB, '--namespaces', ns], EMBEDDED_KUBECONFIG),
  ]);
  for (const r of [...runs, ...reads])
    t.equal(r.exitCode, r.command.includes(' grade ') ? 0 : 1, `${r.command.replace(repo, '')}: exit ${r.exitCode}`);

  const outputs: Record<string, string> = {};
  [...runs, ...reads].forEach((r, i) => {
    outputs[`#${i} stdout`] = r.stdout;
    outputs[`#${i} stderr`] = r.stderr;
  });
  for (const f of ['admin.xml', 'admin.json', 'token.json', 'grade.xml']) outputs[f] = readFileSync(file(f), 'utf8');

  // The scenario really did put the kubeconfig in the reports: only its secrets are gone.
  const report = JSON.parse(outputs['token.json']!) as {
    steps: Array<{ id: string; evidence?: Record<string, string>; reason?: string }>;
  };
  const evidence = report.steps.find((s) => s.id === 'leak-evidence')?.evidence;
  t.match(evidence?.kubeconfig, /current-context: ci/, 'the kubeconfig is in the evidence');
  t.match(evidence?.request, /Authorization: Bearer \[redacted\]/);
  t.match(
    report.steps.find((s) => s.id === 'leak-throw')?.reason,
    /cannot log in with \[redacted/,
    'the thrown message is kept, minus the token',
  );
  t.match(outputs['admin.xml'], /cannot log in with \[redacted/);

  for (const [name, text] of Object.entries(outputs)) {
    const found = secrets.filter((s) => text.includes(s));
    t.same(
      found.map((s) => `${s.slice(0, 12)}…`),
      [],
      `${name}: no secret (${text.length} chars searched)`,
    );
  }
});
