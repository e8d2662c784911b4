// Hostile attendees in a graded room (issue 23, class 1), on the embedded cluster: one whose `echo` is `yes`, one
// whose `echo` never returns, beside one who did the lab. Each failure is that attendee's row; the room is graded.
import t from 'tap';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';
import type { GradeMatrix } from '../../harness/src/grade/matrix.js';
import { createNamespace } from '../../harness/src/runner/namespace.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const podlab = (...args: string[]) =>
  execa(process.execPath, [`${repo}bin/podlab.js`, ...args], {
    reject: false,
    env: { KUBECONFIG: EMBEDDED_KUBECONFIG },
    timeout: 120_000,
  });
const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);
const ns = (who: string) => `hostile-a-${process.pid}-${who}`;
const WHO = ['good', 'yes', 'hangs'] as const;

/** The lab's pod `hello`, whose `echo` (found first on PATH) is what `setup` makes it. */
const hello = (setup: string): V1Pod => ({
  metadata: { name: 'hello' },
  spec: {
    terminationGracePeriodSeconds: 0,
    containers: [
      {
        name: 'main',
        image: '127.0.0.1:5000/podlab-lab:1.0',
        imagePullPolicy: 'IfNotPresent',
        env: [{ name: 'PATH', value: '/tmp/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' }],
        command: ['sh', '-c', `mkdir -p /tmp/bin && ${setup} exec sleep 3600`],
      },
    ],
  },
});
const script = (body: string) => `printf '#!/bin/sh\\n${body}\\n' > /tmp/bin/echo && chmod +x /tmp/bin/echo &&`;
const SETUP: Record<(typeof WHO)[number], string> = {
  good: '',
  yes: script('exec yes'),
  hangs: script('exec sleep 3600'),
};

t.before(async () => {
  for (const who of WHO) {
    await createNamespace(cluster, ns(who));
    await cluster.core.createNamespacedPod({ namespace: ns(who), body: hello(SETUP[who]) });
  }
  for (const who of WHO) await cluster.waitForPod(ns(who), 'hello', (p) => p.status?.phase === 'Running', 120_000);
});
t.teardown(async () => {
  for (const who of WHO) await cluster.deleteNamespace(ns(who), 120_000).catch(() => undefined);
});

t.test("an attendee's endless or hung exec is that attendee's row, bounded in size and time", async (t) => {
  const started = Date.now();
  const r = await podlab('grade', 'hello-pod', '--namespaces', WHO.map(ns).join(','), '--format', 'json');
  const tookS = (Date.now() - started) / 1000;
  t.equal(r.exitCode, 0, r.stderr);
  t.notMatch(r.stderr, /RangeError|\n\s+at /, 'no stack trace');
  const m = JSON.parse(r.stdout) as GradeMatrix;
  const cell = (who: string) => m.attendees.find((a) => a.attendee === ns(who))!.cells['say-hello']!;
  t.equal(cell('good').status, 'done');
  t.equal(cell('yes').status, 'todo');
  t.equal(cell('hangs').status, 'todo');
  t.ok(r.stdout.length < 64 * 1024, `the whole matrix stays small (${r.stdout.length} bytes)`);
  t.ok(tookS < 60, `graded in ${tookS.toFixed(1)} s: one exec's time limit, not 60 s per exec`);
});

t.test('--reporter tap on the endless exec prints kilobytes, not megabytes', async (t) => {
  const r = await podlab('check', 'hello-pod', '--namespace', ns('yes'), '--reporter', 'tap');
  t.equal(r.exitCode, 1, r.stderr);
  t.notMatch(r.stderr, /RangeError|\n\s+at /, 'no stack trace');
  t.ok(r.stdout.length < 32 * 1024, `TAP is ${r.stdout.length} bytes`);
  t.match(r.stdout, /podlab cut \d+ (bytes|characters) here/);
  t.match(r.stdout, /^\s*ok \d+ .*deploy-pod/m);
  t.match(r.stdout, /^\s*not ok \d+ .*say-hello/m);
});
