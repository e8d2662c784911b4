// A room graded the three ways an instructor can name it (namespaces, contexts, a directory of kubeconfigs), what
// it costs in API calls, and grading under the read-only grader role: all on the embedded cluster.
import t from 'tap';
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import type { V1Pod } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { GradeMatrix } from '../../harness/src/grade/matrix.js';
import { clusterEnv } from '../cluster/kubectl.js';
import { POD_SANDBOXING_STEPS } from '../helpers/labs.js';
import { createNamespace } from '../../harness/src/runner/namespace.js';
import { cluster, kc, podlab } from '../helpers/room.js';

const prefix = `room-${process.pid}`;
const ns = (who: string) => `${prefix}-${who}`;
const EMPTY = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'];
const ALL = ['solved', 'blank', ...EMPTY];
const STEPS = POD_SANDBOXING_STEPS;
const SOLVED = ['done', 'done', 'done', 'done', 'todo', 'todo', 'todo', 'todo', 'todo', 'todo', 'todo', 'todo'];
const EMPTY_ROW = ['done', ...Array<string>(11).fill('todo')];

const dir = t.testdir();
const admin = kc.getCurrentUser()!;
const server = kc.getCurrentCluster()!;

/** A kubeconfig holding one context per attendee, all on this cluster, each pointing at its own namespace. */
function kubeconfigWith(
  contexts: Array<{ name: string; namespace: string; server?: string }>,
  user: Record<string, unknown>,
): string {
  const clusters = [...new Set(contexts.map((c) => c.server ?? server.server))].map((s, i) => ({
    name: `c${i}`,
    cluster: { server: s, 'certificate-authority-data': readCa() },
  }));
  const clusterOf = (s: string) => clusters.find((c) => c.cluster.server === s)!.name;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': contexts[0]!.name,
    clusters,
    users: [{ name: 'u', user }],
    contexts: contexts.map((c) => ({
      name: c.name,
      context: { cluster: clusterOf(c.server ?? server.server), user: 'u', namespace: c.namespace },
    })),
  });
}
const readCa = () => server.caData ?? readFileSync(server.caFile!).toString('base64');
const adminUser = () => ({
  'client-certificate-data': admin.certData ?? readFileSync(admin.certFile!).toString('base64'),
  'client-key-data': admin.keyData ?? readFileSync(admin.keyFile!).toString('base64'),
});

t.before(async () => {
  for (const who of ALL) {
    await createNamespace(cluster, ns(who), { 'podlab-test': prefix });
  }
  const solved = await podlab(['solve', 'pod-sandboxing', '--to', 'compare-kernels', '--namespace', ns('solved')]);
  if (solved.exitCode !== 0) throw new Error(`solve failed: ${solved.stdout}${solved.stderr}`);
});
t.teardown(async () => {
  await Promise.all(ALL.map((who) => cluster.deleteNamespace(ns(who), 120_000).catch(() => undefined)));
});

const statuses = (m: GradeMatrix, attendee: string) =>
  STEPS.map((id) => m.attendees.find((a) => a.attendee === attendee)?.cells[id]?.status);
const row = (m: GradeMatrix, attendee: string) => m.attendees.find((a) => a.attendee === attendee);
const calls = (stderr: string) => {
  const m = /(\d+) API calls \((\d+) requests, (\d+) watches, (\d+) execs\)/.exec(stderr);
  if (!m) throw new Error(`no API call count in: ${stderr}`);
  return { total: Number(m[1]), requests: Number(m[2]), watches: Number(m[3]), execs: Number(m[4]) };
};

t.test(
  '--contexts: one context per attendee; an unreachable or unknown context is reported, the others graded',
  async (t) => {
    const file = `${dir}/room.kubeconfig`;
    writeFileSync(
      file,
      kubeconfigWith(
        [
          { name: 'ana', namespace: ns('solved') },
          { name: 'bo', namespace: ns('blank') },
          { name: 'cy', namespace: ns('blank'), server: 'https://127.0.0.1:1' }, // nothing listens there
        ],
        adminUser(),
      ),
    );
    const r = await podlab([
      'grade',
      'pod-sandboxing',
      '--kubeconfig',
      file,
      '--contexts',
      'ana,bo,cy,dee',
      '--format',
      'json',
    ]);
    t.equal(r.exitCode, 0, r.stderr);
    const m = JSON.parse(r.stdout) as GradeMatrix;
    t.same(
      m.attendees.map((a) => a.attendee),
      ['ana', 'bo', 'cy', 'dee'],
      'one row per context, in the order given',
    );
    t.same(statuses(m, 'ana'), SOLVED);
    t.equal(row(m, 'ana')?.namespace, ns('solved'), "graded in the context's namespace");
    t.same(statuses(m, 'bo'), EMPTY_ROW);
    t.equal(row(m, 'cy')?.reachable, false);
    t.match(row(m, 'cy')?.error, /cannot read the cluster: .*(ECONNREFUSED|did not answer)/);
    t.equal(row(m, 'dee')?.reachable, false);
    t.match(row(m, 'dee')?.error, /context "dee" is not in/);
  },
);

t.test(
  "--kubeconfig-dir: one file per attendee, named by the file; a broken file is that attendee's problem only",
  async (t) => {
    const room = t.testdir({
      'ana.yaml': kubeconfigWith([{ name: 'x', namespace: ns('solved') }], adminUser()),
      'bo.kubeconfig': kubeconfigWith([{ name: 'y', namespace: ns('blank') }], adminUser()),
      'cy.yaml': 'this: [is not a kubeconfig',
      '.hidden': 'ignored',
    });
    const r = await podlab(['grade', 'pod-sandboxing', '--kubeconfig-dir', room, '--format', 'csv']);
    t.equal(r.exitCode, 0, r.stderr);
    const lines = r.stdout.trim().split('\r\n');
    t.equal(lines.length, 4, 'header + ana, bo, cy');
    t.equal(lines[1], `ana,${ns('solved')},true,${SOLVED.join(',')},4,13`);
    t.equal(lines[2], `bo,${ns('blank')},true,${EMPTY_ROW.join(',')},1,13`);
    t.match(lines[3], /^cy,.*,false,/);
    const json = await podlab(['grade', 'pod-sandboxing', '--kubeconfig-dir', room, '--format', 'json']);
    t.match(row(JSON.parse(json.stdout) as GradeMatrix, 'cy')?.error, /cannot read kubeconfig/);
    const missing = await podlab(['grade', 'pod-sandboxing', '--kubeconfig-dir', `${dir}/no-such-dir`]);
    t.equal(missing.exitCode, 2, 'a directory that does not exist is a usage error');
    t.match(missing.stderr, /no such directory/);
  },
);

t.test('cost grows with resource kinds, not attendees × checks', async (t) => {
  const two = await podlab([
    'grade',
    'pod-sandboxing',
    '--namespaces',
    [ns('e1'), ns('e2')].join(','),
    '--format',
    'json',
  ]);
  const six = await podlab(['grade', 'pod-sandboxing', '--namespaces', `${prefix}-e*`, '--format', 'json']);
  const eight = await podlab([
    'grade',
    'pod-sandboxing',
    '--namespaces',
    `podlab-test=${prefix}`,
    '--format',
    'json',
    '--exec-concurrency',
    '2',
    // earlier grades recorded the solved attendee's steps as done, and a recorded step is not exec'd again
    '--no-record',
  ]);
  for (const r of [two, six, eight]) t.equal(r.exitCode, 0, r.stderr);
  t.equal((JSON.parse(six.stdout) as GradeMatrix).attendees.length, 6);
  t.equal((JSON.parse(eight.stdout) as GradeMatrix).attendees.length, 8);
  const [c2, c6, c8] = [two, six, eight].map((r) => calls(r.stderr));
  t.equal(c2!.requests, 5, 'one list per kind: namespaces, nodes, runtimeclasses, pods, networkpolicies');
  t.equal(c6!.requests, c2!.requests, 'three times the attendees, the same requests');
  t.equal(c8!.requests, c2!.requests, 'a selector is answered from the same snapshot');
  t.equal(c6!.execs, 0, 'empty namespaces need no exec');
  t.ok(c8!.execs > 0, `the solved attendee's kernel check ran in its pods (${c8!.execs} execs)`);
  t.same(
    statuses(JSON.parse(eight.stdout) as GradeMatrix, ns('solved')),
    SOLVED,
    'the exec-based check still passes from the snapshot',
  );
});

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
    // A pod outside the room, as a node agent in kube-system would be.
    const outside = ns('outside');
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
    await cluster.waitFor({
      path: '/api/v1/namespaces/podlab-grading/serviceaccounts',
      name: 'podlab-grader',
      timeoutMs: 60_000,
      what: 'grader SA',
      predicate: () => true,
      list: () => cluster.core.listNamespacedServiceAccount({ namespace: 'podlab-grading' }),
    });
    const token = (
      await cluster.core.createNamespacedServiceAccountToken({
        name: 'podlab-grader',
        namespace: 'podlab-grading',
        body: { spec: { expirationSeconds: 600, audiences: [] } },
      })
    ).status?.token;
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
