// `podlab room up` / `room down` on the embedded cluster: a room of two, its objects, the attendee's identity
// (what the lab's text may and may not do with it), the admission policy, idempotence, and nothing left after.
import t from 'tap';
import { execa } from 'execa';
import { readFileSync, statSync, existsSync } from 'node:fs';
import { parse } from 'yaml';
import { clusterEnv } from '../cluster/kubectl.js';
import { cluster, podlab, roomObjects } from '../helpers/room.js';
const prefix = `room-${process.pid}-`;
const room = prefix.slice(0, -1);
const dir = `${t.testdir()}/kubeconfigs`;
const up = (...more: string[]) =>
  podlab([
    'room',
    'up',
    'hello-pod',
    '--names',
    'ana,bo',
    '--prefix',
    prefix,
    '--out',
    dir,
    '--duration',
    '1h',
    ...more,
  ]);
const as = (who: string) => ({ KUBECONFIG: `${dir}/${who}.kubeconfig` });
const kubectlAs = async (who: string, args: string[], input?: string) =>
  execa((await clusterEnv()).kubectl, ['--kubeconfig', `${dir}/${who}.kubeconfig`, ...args], { reject: false, input });

t.teardown(async () => {
  await podlab(['room', 'down', 'hello-pod', '--prefix', prefix, '--out', dir]);
});

t.test('room up: a namespace, an account, a quota and a LimitRange per attendee; kubeconfigs 0600', async (t) => {
  const r = await up();
  t.equal(r.exitCode, 0, r.stderr);
  const ns = await cluster.core.listNamespace({ labelSelector: `podlab.dev/room=${room}` });
  t.same(ns.items.map((n) => n.metadata?.name).sort(), [`${prefix}ana`, `${prefix}bo`]);
  t.match(ns.items[0]?.metadata?.labels, { 'app.kubernetes.io/managed-by': 'podlab', 'podlab.dev/lab': 'hello-pod' });
  t.notOk(ns.items[0]?.metadata?.labels?.['podlab.dev/run'], 'no run label: a run reaper never takes a room');
  for (const who of ['ana', 'bo']) {
    const file = `${dir}/${who}.kubeconfig`;
    t.equal(statSync(file).mode & 0o777, 0o600, `${who}'s kubeconfig is 0600`);
    const conf = parse(readFileSync(file, 'utf8')) as {
      contexts: Array<{ context: { namespace: string } }>;
      users: Array<{ user: { token: string } }>;
    };
    t.equal(conf.contexts[0]?.context.namespace, `${prefix}${who}`, 'its namespace is the default');
    const claims = JSON.parse(Buffer.from(conf.users[0]!.user.token.split('.')[1]!, 'base64url').toString()) as {
      exp: number;
      iat: number;
    };
    t.ok(
      Math.abs(claims.exp - claims.iat - 3600) < 5,
      `the token expires after --duration (${claims.exp - claims.iat} s)`,
    );
  }
  t.equal(statSync(dir).mode & 0o777, 0o700, 'the folder is 0700');
  const quota = await cluster.core.readNamespacedResourceQuota({ name: 'podlab-room', namespace: `${prefix}ana` });
  t.match(quota.spec?.hard, { pods: /^\d+$/, 'limits.cpu': /./, 'requests.memory': /./ });
  const lr = await cluster.core.readNamespacedLimitRange({ name: 'podlab-room', namespace: `${prefix}ana` });
  t.ok(lr.spec?.limits[0]?._default?.cpu, 'the LimitRange gives a default CPU limit');
  const again = await up();
  t.equal(again.exitCode, 0, `a second room up is fine: ${again.stderr}`);
  const quota2 = await cluster.core.readNamespacedResourceQuota({ name: 'podlab-room', namespace: `${prefix}ana` });
  t.equal(quota2.metadata?.resourceVersion, quota.metadata?.resourceVersion, 'and changes nothing');
});

t.test("the lab's text runs with the attendee's identity, and nothing else does", async (t) => {
  const solve = await podlab(['solve', 'hello-pod', '--to', 'say-hello', '--namespace', `${prefix}ana`], as('ana'));
  t.equal(solve.exitCode, 0, `${solve.stdout}${solve.stderr}`);
  const check = await podlab(['check', 'hello-pod', '--namespace', `${prefix}ana`, '--reporter', 'tap'], as('ana'));
  t.equal(check.exitCode, 0, `podlab check works as the attendee: ${check.stdout}${check.stderr}`);
  const refused = [
    ['get', 'pods', '-n', `${prefix}bo`],
    ['create', 'configmap', 'x'],
    ['get', 'secrets'],
    ['create', 'namespace', `${prefix}extra`],
    ['get', 'pods', '-n', 'kube-system'],
  ];
  for (const args of refused) {
    const r = await kubectlAs('ana', args);
    t.not(r.exitCode, 0, `kubectl ${args.join(' ')} is refused`);
    t.match(r.stderr, /forbidden/i);
  }
  const reads = await kubectlAs('ana', ['get', 'runtimeclass,nodes', '-o', 'name']);
  t.equal(reads.exitCode, 0, `RuntimeClasses and nodes are read cluster-wide, as the text does: ${reads.stderr}`);
});

t.test('the grader grades the room with the kubeconfig room up wrote', async (t) => {
  const r = await podlab([
    'grade',
    'hello-pod',
    '--kubeconfig',
    `${dir}/grader/podlab-grader.kubeconfig`,
    '--namespaces',
    `podlab.dev/room=${room}`,
    '--format',
    'csv',
    '--no-record',
  ]);
  t.equal(r.exitCode, 0, r.stderr);
  t.match(r.stdout, new RegExp(`${prefix}ana,${prefix}ana,true,done,done`), "ana's steps are done");
  t.match(r.stdout, new RegExp(`${prefix}bo,${prefix}bo,true,todo,todo`));
});

t.test('bad input exits 2, an unreachable cluster 3', async (t) => {
  const none = await podlab(['room', 'up', 'hello-pod', '--prefix', prefix]);
  t.equal(none.exitCode, 2, none.stderr);
  t.match(none.stderr, /--attendees N or --names/);
  const badPrefix = await podlab(['room', 'up', 'hello-pod', '--attendees', '2', '--prefix', 'Bad_']);
  t.equal(badPrefix.exitCode, 2);
  const unreachable = t.testdir({
    kc: 'apiVersion: v1\nkind: Config\ncurrent-context: x\nclusters: [{name: x, cluster: {server: "https://127.0.0.1:1"}}]\ncontexts: [{name: x, context: {cluster: x, user: x}}]\nusers: [{name: x, user: {token: t}}]\n',
  });
  const r = await podlab(['room', 'up', 'hello-pod', '--attendees', '1', '--prefix', prefix], {
    KUBECONFIG: `${unreachable}/kc`,
  });
  t.equal(r.exitCode, 3, r.stderr);
});

t.test('room down removes it all and waits for the namespaces to go', async (t) => {
  const r = await podlab(['room', 'down', 'hello-pod', '--prefix', prefix, '--out', dir]);
  t.equal(r.exitCode, 0, r.stderr);
  t.match(r.stderr, /2 namespace\(s\) deleted/);
  const ns = await cluster.core.listNamespace({ labelSelector: `podlab.dev/room=${room}` });
  t.same(ns.items, [], 'no namespace of the room is left, not even terminating');
  t.same(await roomObjects('rbac.authorization.k8s.io/v1', 'ClusterRole', room), [], 'no ClusterRole');
  t.same(
    await roomObjects('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', room),
    [],
    'no admission policy',
  );
  t.notOk(existsSync(`${dir}/ana.kubeconfig`), 'the kubeconfigs are removed');
  const twice = await podlab(['room', 'down', 'hello-pod', '--prefix', prefix, '--out', dir]);
  t.equal(twice.exitCode, 0, 'room down of a room that is not there is fine');
});
