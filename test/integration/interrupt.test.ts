// SIGINT or SIGTERM in the middle of a step: podlab tears down, exits non-zero, and leaves nothing behind.
import t from 'tap';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster } from '../../harness/src/k8s/cluster.js';
import { untilStderr } from '../helpers/runs.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  t.test(`${signal} during a step`, async (t) => {
    // forceKillAfterDelay off: execa would otherwise SIGKILL podlab 5 s after SIGTERM, in the middle of its teardown.
    const child = execa('node', [`${repo}bin/podlab.js`, 'run', 'pod-sandboxing'], {
      reject: false,
      forceKillAfterDelay: false,
      env: { KUBECONFIG: EMBEDDED_KUBECONFIG },
    });
    // Wait until the lab is inside its steps: the second step has passed and the third is running.
    await untilStderr(child, /PASS deploy-pods/, 'the signal');
    child.kill(signal);
    const r = await child;
    t.not(r.exitCode, 0, 'exits non-zero');
    t.match(r.stderr, new RegExp(`${signal} received: stopping the current step and tearing down`));
    const runId = /namespace podlab-pod-sandboxing-(\d{8}-[0-9a-f]{6})/.exec(r.stdout)?.[1];
    t.ok(runId, 'the report still names the run');
    t.match(r.stdout, /ok \d+ - teardown - teardown and leak audit/, 'the teardown ran and is reported');
    t.match(r.stdout, /# interrupted: interrupted by SIG/);
    t.same(await cluster.labelled(`podlab.dev/run=${runId}`), [], 'no object of this run remains');
  });
}
