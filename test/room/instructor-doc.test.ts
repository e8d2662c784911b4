// docs/instructor.md is the room's day, and its commands are what this test types: every shell block not marked
// podlab=skip (the Azure ones, the scoreboard that runs until Ctrl-C) runs in document order, in one bash session, on
// the embedded cluster, as the instructor would (a room of 2 under a prefix of its own). The page's table of the
// room's objects is checked against what `room up` made, and nothing of the room is left after `room down`.
import t from 'tap';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { clusterEnv } from '../cluster/kubectl.js';
import { cluster, podlab, repo } from '../helpers/room.js';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';

const page = readFileSync(`${repo}docs/instructor.md`, 'utf8');
const prefix = `doc-${process.pid}-`;
const room = prefix.slice(0, -1);
const work = t.testdir();

/** The page's fenced blocks: language, the rest of the info string, body and line. */
const blocks = [...page.matchAll(/^```(\w*)([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({
  lang: m[1]!,
  info: m[2]!,
  body: m[3]!,
  line: page.slice(0, m.index).split('\n').length,
}));
const shell = blocks.filter((b) => ['bash', 'sh', 'shell'].includes(b.lang));
const runs = shell.filter((b) => !/podlab=(skip|aks)\b/.test(b.info));

t.teardown(async () => {
  await podlab(['room', 'down', 'pod-sandboxing', '--prefix', prefix, '--out', `${work}/room`]);
});

t.test("the page's shell blocks: the Azure ones marked, the others a whole day", async (t) => {
  t.ok(
    shell.filter((b) => /\baz /.test(b.body)).every((b) => /podlab=skip/.test(b.info)),
    'every az command is in a podlab=skip block',
  );
  const day = runs.map((b) => b.body).join('\n');
  for (const cmd of ['room plan', 'room up', 'grade', 'room status', 'room down'])
    t.match(day, new RegExp(`podlab ${cmd}`), `the day runs podlab ${cmd}`);
});

t.test('the room day runs on the embedded cluster', async (t) => {
  const { kubectl } = await clusterEnv();
  const script = [
    'set -euo pipefail',
    ...runs.map((b) => `echo "::block docs/instructor.md:${b.line}::"\n${b.body}`),
  ].join('\n');
  const r = await execa('bash', ['-c', script], {
    cwd: work,
    reject: false,
    timeout: 240_000,
    env: {
      PATH: `${repo}bin:${dirname(kubectl)}:/usr/local/bin:/usr/bin:/bin`,
      HOME: work,
      XDG_STATE_HOME: `${work}/state`,
      KUBECONFIG: EMBEDDED_KUBECONFIG,
      ATTENDEES: '2',
      PREFIX: prefix,
    },
    extendEnv: false,
  });
  const last = /::block (\S+)::(?![\s\S]*::block)/.exec(r.stdout)?.[1];
  t.equal(r.exitCode, 0, `every block ran (the last one started: ${last}); stderr: ${r.stderr.slice(-2000)}`);
  t.match(r.stdout, /nodes needed: \d+ \(Standard_D4s_v3\)/, 'the AKS plan, without a cluster');
  t.match(r.stdout, /^2 attendees need \d+ node\(s\)$/m, 'NODE_COUNT from the JSON plan');
  t.match(r.stdout, /this cluster holds \d+ attendee\(s\); 2 need 1 node\(s\)/, 'the plan against the cluster');
  t.match(r.stdout, new RegExp(`^1\\t${prefix}1\\troom/1\\.kubeconfig\\t`, 'm'), 'a kubeconfig per attendee');
  t.match(r.stdout, /^yes$/m, "the attendee's kubeconfig may create pods in its namespace");
  t.match(r.stdout, new RegExp(`^${prefix}1 +✓`, 'm'), 'the grader grades the room');
  t.match(r.stdout, new RegExp(`room ${room}: 2 attendee\\(s\\), 0 pod\\(s\\) Pending`));
  for (const f of ['grades.json', 'grades.csv', 'grades.xml'])
    t.ok(readFileSync(`${work}/${f}`, 'utf8').includes(`${prefix}2`), `${f} has every attendee`);
  t.match(r.stderr, new RegExp(`room ${room} is down: 2 namespace\\(s\\) deleted`));
  // the page's table of the room's objects: each kind it lists was made (the kubectl get blocks printed them)
  const table = page.slice(page.indexOf('| object | name |'), page.indexOf('\n\n', page.indexOf('| object | name |')));
  const kinds = [...table.matchAll(/^\| ([A-Z][A-Za-z]+)(?: \+ ([A-Za-z]+))? \|/gm)].flatMap((m) =>
    [m[1]!, m[2] === 'Binding' ? `${m[1]}Binding` : m[2]].filter((k): k is string => Boolean(k)),
  );
  t.ok(kinds.length >= 9, `the table lists the kinds: ${kinds.join(', ')}`);
  for (const k of kinds)
    t.match(r.stdout, new RegExp(`(^|\\s)${k.toLowerCase()}[./]`, 'im'), `a ${k} of the room was listed`);
  const left = await cluster.core.listNamespace({ labelSelector: `podlab.dev/room=${room}` });
  t.same(left.items, [], 'nothing of the room is left');
});
