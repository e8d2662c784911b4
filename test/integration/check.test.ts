// The attendee's loop on the embedded cluster: check (read-only) → solve → check again.
import t from 'tap';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const podlab = (...args: string[]) =>
  execa('node', [`${repo}bin/podlab.js`, ...args], { reject: false, env: { KUBECONFIG: EMBEDDED_KUBECONFIG } });
const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);
const ns = `attendee-check-${process.pid}`;

t.before(async () => {
  await cluster.core.createNamespace({ body: { metadata: { name: ns } } });
  // The controller-manager publishes kube-root-ca.crt into every new namespace on its own time (in CI
  // it lagged right after the API-outage test restarted the API server); the snapshot must not race it.
  await cluster.waitFor({
    path: `/api/v1/namespaces/${ns}/configmaps`,
    name: 'kube-root-ca.crt',
    what: `${ns}/kube-root-ca.crt`,
    timeoutMs: 60_000,
    predicate: () => true,
    list: () => cluster.core.listNamespacedConfigMap({ namespace: ns }),
  });
});
t.teardown(async () => {
  await cluster.deleteNamespace(ns, 120_000);
});

async function snapshot() {
  const pods = (await cluster.core.listNamespacedPod({ namespace: ns })).items.map((p) => p.metadata?.name).sort();
  const cms = (await cluster.core.listNamespacedConfigMap({ namespace: ns })).items.map((c) => c.metadata?.name).sort();
  return { pods, cms };
}

t.test(
  'check on an empty namespace: setup (and the empty cleanup) are done, each other step says why, nothing is created',
  async (t) => {
    const before = await snapshot();
    const r = await podlab('check', 'pod-sandboxing', '--namespace', ns);
    t.equal(r.exitCode, 1, 'not all steps are done');
    t.match(r.stdout, /✓ cluster-ready/);
    t.match(
      r.stdout,
      /✗ deploy-pods[^\n]*\n\s+create it: envsubst < manifests\/pod-sandboxing\/pods\.yaml \| kubectl apply -n \$NS -f -/,
    );
    t.match(r.stdout, /- isolate-sandboxed|✗ isolate-sandboxed/);
    t.match(r.stdout, /✗ clean-up[^\n]*\n\s+first do deploy-pods/, 'nothing to clean up yet: clean-up is not done');
    t.match(r.stdout, /\n1\/12 done/);
    t.same(await snapshot(), before, 'check created nothing in the namespace');
  },
);

t.test('solve --to compare-kernels, then check counts those steps done', async (t) => {
  const solved = await podlab('solve', 'pod-sandboxing', '--to', 'compare-kernels', '--namespace', ns);
  t.equal(solved.exitCode, 0, solved.stderr);
  t.match(solved.stdout, /✓ deploy-pods/);
  const r = await podlab('check', 'pod-sandboxing', '--namespace', ns);
  t.equal(r.exitCode, 1);
  t.match(r.stdout, /✓ cluster-ready[\s\S]*✓ deploy-pods[\s\S]*✓ compare-kernels/);
  t.match(r.stdout, /✗ ping-pods[^\n]*\n\s+create it: envsubst < manifests\/pod-sandboxing\/sandboxed-peer\.yaml/);
  t.match(r.stdout, /✗ clean-up/, 'cleanup is no longer done once lab pods exist');
  t.match(r.stdout, /\n4\/12 done/);
});

t.test('check of a namespace that does not exist is a usage error', async (t) => {
  const r = await podlab('check', 'pod-sandboxing', '--namespace', 'no-such-namespace-here');
  t.equal(r.exitCode, 2);
  t.match(r.stderr, /namespace no-such-namespace-here does not exist/);
});
