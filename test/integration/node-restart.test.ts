// containerd and the kubelet restart in the middle of a run while the API server stays up (a node agent
// upgrade, a crash): the step in flight recovers or fails with a clear reason, the teardown completes, and
// nothing of the run is left.
import t from 'tap';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster, RUN_LABEL } from '../../harness/src/k8s/cluster.js';
import type { RunResult } from '../../harness/src/report/model.js';
import { stopComponent, type StoppedComponent } from '../cluster/component.js';
import { nodeBack, untilStderr } from '../helpers/runs.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);
const cluster = new Cluster(kc);

const containerdReady = async () =>
  (await execa('ctr', ['--address', '/run/podlab/containerd/containerd.sock', 'version'], { reject: false }))
    .exitCode === 0;
const kubeletReady = async () => (await fetch('http://127.0.0.1:10248/healthz').catch(() => undefined))?.ok === true;

t.test(
  'containerd and the kubelet restart mid-run: recovered or failed with a reason, torn down, nothing left',
  async (t) => {
    const report = `${t.testdir()}/report.json`;
    const run = execa(
      process.execPath,
      [`${repo}bin/podlab.js`, 'run', 'pod-sandboxing', '--to', 'ping-pods', '--reporter', 'json', '--output', report],
      {
        cwd: repo,
        reject: false,
        env: { KUBECONFIG: EMBEDDED_KUBECONFIG },
        timeout: 600_000,
      },
    );
    await untilStderr(run, /PASS deploy-pods/, 'the restart');
    const stopped: StoppedComponent[] = [];
    try {
      stopped.push(await stopComponent('kubelet', kubeletReady));
      stopped.push(await stopComponent('containerd', containerdReady));
      await new Promise((r) => setTimeout(r, 3_000));
    } finally {
      // containerd first, then the kubelet that talks to it; never leave the node without them
      for (const s of stopped.reverse()) await s.start();
    }
    const r = await run;
    t.ok(
      [0, 1].includes(r.exitCode ?? -1),
      `exit 0 (recovered) or 1 (a step failed), not a crash: ${r.exitCode} ${r.stderr.slice(-400)}`,
    );
    const result = JSON.parse(readFileSync(report, 'utf8')) as RunResult;
    t.same(
      result.steps.map((s) => s.id),
      ['cluster-ready', 'deploy-pods', 'runtimeclass-scheduling', 'compare-kernels', 'ping-pods'],
      'every step up to ping-pods is reported',
    );
    for (const s of result.steps.filter((x) => x.status === 'fail')) {
      t.match(s.reason, /\S/, `${s.id} failed with a reason: ${s.reason}`);
      t.notMatch(s.reason, /undefined|\[object Object\]/, `${s.id}: the reason reads as a sentence`);
    }
    t.equal(result.teardown?.status, 'pass', `teardown completes: ${result.teardown?.reason}`);
    t.same(await cluster.labelled(`${RUN_LABEL}=${result.runId}`), [], 'nothing of the run is left');
    // Later tests need the node back: Ready, and without the taints a NotReady spell leaves.
    await nodeBack(cluster);
    t.comment(`steps: ${result.steps.map((s) => `${s.id}=${s.status}${s.reason ? ` (${s.reason})` : ''}`).join('; ')}`);
  },
);
