// Inside a pod (manifests/nightly/), with no kubeconfig: podlab uses the pod's ServiceAccount, and hands the
// attendee's kubectl the same token file (pure logic: a fake service account folder, no cluster).
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = mkdtempSync(join(tmpdir(), 'podlab-incluster-'));
const saDir = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
mkdirSync(saDir, { recursive: true });
writeFileSync(join(saDir, 'token'), 'sa-token-value-0123456789\n');
writeFileSync(join(saDir, 'ca.crt'), 'not read until a request is made\n');
writeFileSync(join(saDir, 'namespace'), 'podlab-nightly');

// No kubeconfig anywhere: no --kubeconfig, no $KUBECONFIG, no ~/.kube/config, no embedded cluster.
delete process.env.KUBECONFIG;
const realEnv = { ...process.env };
process.env.HOME = join(root, 'home');
process.env.PODLAB_STATE_DIR = join(root, 'no-cluster');
process.env.KUBERNETES_SERVICE_HOST = '10.96.0.1';
process.env.KUBERNETES_SERVICE_PORT = '443';

const { credentialsOf, inCluster, kubeconfigPath, loadKubeConfig } =
  await import('../../harness/src/k8s/kubeconfig.js');
const { forKubectl } = await import('../../harness/src/runner/attendee.js');
const { Redactor } = await import('../../harness/src/report/redact.js');
const { UsageError } = await import('../../harness/src/errors.js');

t.test('no kubeconfig and a mounted token: the ServiceAccount is used', async (t) => {
  t.equal(kubeconfigPath(), undefined);
  t.ok(inCluster(root));
  const kc = loadKubeConfig({}, root);
  t.equal(kc.getCurrentCluster()?.server, 'https://10.96.0.1:443');
  t.equal(kc.getCurrentCluster()?.caFile, join(saDir, 'ca.crt'));
  t.equal(kc.getCurrentUser()?.authProvider?.config?.tokenFile, join(saDir, 'token'));
  const redactor = new Redactor();
  credentialsOf(kc).forEach((c) => redactor.add(c));
  t.equal(redactor.redact('seen: sa-token-value-0123456789'), 'seen: [redacted]', 'the token is redacted by value');
  const err = (() => {
    try {
      loadKubeConfig({ context: 'other' }, root);
    } catch (e) {
      return e;
    }
  })();
  t.ok(
    err instanceof UsageError && /has no contexts/.test(err.message),
    '--context: there are no contexts to choose from (exit 2)',
  );
});

t.test('not in a pod: no KUBERNETES_SERVICE_HOST, or no token', async (t) => {
  t.notOk(inCluster(root, {}));
  t.notOk(inCluster(join(root, 'elsewhere')));
  t.throws(() => loadKubeConfig({}, join(root, 'elsewhere')), /no kubeconfig found/);
});

t.test('a kubeconfig, when there is one, still wins', async (t) => {
  const file = join(root, 'kubeconfig');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: 'https://example.test:6443' } }],
      users: [{ name: 'u', user: { token: 'x' } }],
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'ctx',
    }),
  );
  t.equal(loadKubeConfig({ kubeconfig: file }, root).getCurrentCluster()?.server, 'https://example.test:6443');
});

t.test("the attendee's kubectl gets the token file, which it understands", async (t) => {
  const config = JSON.parse(forKubectl(loadKubeConfig({}, root))) as {
    users: Array<{ user: Record<string, unknown> }>;
  };
  t.same(config.users[0]!.user, { tokenFile: join(saDir, 'token') }, 'no auth-provider kubectl lacks');
  let kubectl: string | undefined;
  try {
    kubectl = execFileSync('bash', ['cluster/scripts/build-k8s.sh', '--path'], { encoding: 'utf8', env: realEnv })
      .trim()
      .split('\n')
      .at(-1);
  } catch {
    /* not built on this machine */
  }
  if (!kubectl) return t.skip('the embedded kubectl is not built here, so its reading of the file is not tried');
  const file = join(root, 'for-kubectl.json');
  writeFileSync(file, forKubectl(loadKubeConfig({}, root)));
  const view = execFileSync(
    join(kubectl, 'kubectl'),
    ['config', 'view', '--kubeconfig', file, '-o', 'jsonpath={.users[0].user.tokenFile}'],
    {
      encoding: 'utf8',
    },
  );
  t.equal(view, join(saDir, 'token'), 'kubectl reads it as a token file');
});
