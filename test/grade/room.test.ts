// A room graded the three ways an instructor can name it (contexts, a directory of kubeconfigs, namespaces) and
// what that costs in API calls, on the embedded cluster.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import type { GradeMatrix } from '../../harness/src/grade/matrix.js';
import { podlab } from '../helpers/room.js';
import {
  adminUser,
  attendees,
  EMPTY_ROW,
  kubeconfigWith,
  ns,
  prefix,
  row,
  SOLVED,
  statuses,
} from '../helpers/room-attendees.js';

attendees(t, ['solved', 'blank', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6']);
const dir = t.testdir();

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
