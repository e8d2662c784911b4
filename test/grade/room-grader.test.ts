// Grading under the read-only grader role that `podlab room grant` gives: the same grades as the admin gets, but no
// write, no solve, and no exec or logs outside the room, on the embedded cluster.
import t, { type Test } from 'tap';
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import type { V1Pod } from '@kubernetes/client-node';
import type { GradeMatrix } from '../../harness/src/grade/matrix.js';
import { clusterEnv } from '../cluster/kubectl.js';
import { createNamespace } from '../../harness/src/runner/namespace.js';
import { cluster, podlab } from '../helpers/room.js';
import { attendees, EMPTY_ROW, kubeconfigWith, ns, prefix, SOLVED, statuses } from '../helpers/room-attendees.js';

attendees(t, ['solved', 'blank']);
const dir = t.testdir();

/** A running pod outside the room, as a node agent in kube-system would be; its namespace goes with the test. */
async function podOutside(t: Test, outside: string): Promise<void> {
  await createNamespace(cluster, outside, { 'podlab-test': prefix });
  t.teardown(() => cluster.deleteNamespace(outside, 120_000));
  const image = (await cluster.core.listNamespacedPod({ namespace: ns('solved') })).items[0]?.spec?.containers[0]
    ?.image;
  await cluster.core.createNamespacedPod({
    namespace: outside,
    body: {
      metadata: { name: 'agent' },
      spec: {
        containers: [{ name: 'agent', image, imagePullPolicy: 'IfNotPresent', command: ['sleep', '600'] }],
        terminationGracePeriodSeconds: 0,
      },
    },
  });
  await cluster.waitFor({
    path: `/api/v1/namespaces/${outside}/pods`,
    name: 'agent',
    timeoutMs: 120_000,
    what: 'pod agent running',
    predicate: (p: V1Pod) => p.status?.phase === 'Running',
    list: () => cluster.core.listNamespacedPod({ namespace: outside }),
  });
}

/** The grader's service account token, by TokenRequest, once `room grant` has made the account. */
async function graderToken(): Promise<string | undefined> {
  await cluster.waitFor({
    path: '/api/v1/namespaces/podlab-grading/serviceaccounts',
    name: 'podlab-grader',
    timeoutMs: 60_000,
    what: 'grader SA',
    predicate: () => true,
    list: () => cluster.core.listNamespacedServiceAccount({ namespace: 'podlab-grading' }),
  });
  return (
    await cluster.core.createNamespacedServiceAccountToken({
      name: 'podlab-grader',
      namespace: 'podlab-grading',
      body: { spec: { expirationSeconds: 600, audiences: [] } },
    })
  ).status?.token;
}

t.test(
  'a grader with the rights `podlab room grant` gives grades the room, cannot write, and cannot exec outside it',
  async (t) => {
    const room = ['--namespaces', [ns('solved'), ns('blank')].join(',')];
    const granted = await podlab(['room', 'grant', ...room]);
    t.equal(granted.exitCode, 0, granted.stderr);
    t.match(granted.stderr, /podlab-grading\/podlab-grader may read what checks read, and exec in 2 namespaces/);
    t.teardown(async () => {
      const revoked = await podlab(['room', 'revoke', ...room]);
      if (revoked.exitCode !== 0) throw new Error(revoked.stderr);
    });
    const outside = ns('outside');
    await podOutside(t, outside);
    const token = await graderToken();
    t.ok(token, 'TokenRequest gave the grader a token');
    const file = `${dir}/grader.kubeconfig`;
    writeFileSync(file, kubeconfigWith([{ name: 'grader', namespace: 'default' }], { token }));
    const env = { KUBECONFIG: file };

    const r = await podlab(
      ['grade', 'pod-sandboxing', '--namespaces', [ns('solved'), ns('blank')].join(','), '--format', 'json'],
      env,
    );
    t.equal(r.exitCode, 0, r.stderr);
    const m = JSON.parse(r.stdout) as GradeMatrix;
    t.same(statuses(m, ns('solved')), SOLVED, 'the same grades as with admin rights');
    t.same(statuses(m, ns('blank')), EMPTY_ROW);

    const write = await execa(
      (await clusterEnv()).kubectl,
      ['--kubeconfig', file, 'create', 'configmap', 'sneaky', '-n', ns('blank')],
      { reject: false },
    );
    t.not(write.exitCode, 0, 'creating a ConfigMap is refused');
    t.match(write.stderr, /forbidden/i);
    const solve = await podlab(['solve', 'pod-sandboxing', '--to', 'deploy-pods', '--namespace', ns('blank')], env);
    t.not(solve.exitCode, 0, 'podlab solve cannot act with the grader role');
    t.match(solve.stdout + solve.stderr, /403|forbidden/i);
    const kubectlBin = (await clusterEnv()).kubectl;
    const execOutside = await execa(kubectlBin, ['--kubeconfig', file, 'exec', '-n', outside, 'agent', '--', 'id'], {
      reject: false,
    });
    t.not(execOutside.exitCode, 0, 'exec into a pod outside the room is refused');
    t.match(execOutside.stderr, /forbidden/i);
    const execInside = await execa(
      kubectlBin,
      ['--kubeconfig', file, 'exec', '-n', ns('solved'), 'normal', '--', 'uname', '-r'],
      { reject: false },
    );
    t.equal(execInside.exitCode, 0, `exec in the room works: ${execInside.stderr}`);
    const logsOutside = await execa(kubectlBin, ['--kubeconfig', file, 'logs', '-n', outside, 'agent'], {
      reject: false,
    });
    t.match(logsOutside.stderr, /forbidden/i, 'and so is reading its logs');
    const pods = await cluster.core.listNamespacedPod({ namespace: ns('blank') });
    t.same(
      pods.items.map((p: V1Pod) => p.metadata?.name),
      [],
      'nothing was created in the attendee namespace',
    );
  },
);
