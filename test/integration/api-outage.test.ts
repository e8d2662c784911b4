// The API server goes away mid-step on the embedded cluster: a short outage is ridden out with retries that
// the report records; a long one fails the step saying so; either way the teardown leaves nothing behind.
import t from 'tap';
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import { Cluster, RUN_LABEL } from '../../harness/src/k8s/cluster.js';
import type { RunResult } from '../../harness/src/report/model.js';
import { stopApiserver, type StoppedApiserver } from '../cluster/apiserver.js';
import { nodeBack } from '../helpers/runs.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const kc = new KubeConfig();
kc.loadFromFile(EMBEDDED_KUBECONFIG);

async function waitForFile(file: string, ms: number) {
  for (const deadline = Date.now() + ms; !existsSync(file); await new Promise((r) => setTimeout(r, 100))) {
    if (Date.now() > deadline) throw new Error(`${file} did not appear within ${ms} ms`);
  }
}

/** Runs the outage fixture lab and takes the API server away for `downMs` once its second step has begun. */
async function runWithOutage(t: { testdir(): string }, downMs: number, env: Record<string, string>) {
  const dir = t.testdir();
  const marker = `${dir}/keep-reading-started`;
  const run = execa(
    process.execPath,
    [
      `${repo}bin/podlab.js`,
      'run',
      'test/fixtures/run-labs/outage',
      '--reporter',
      'json',
      '--output',
      `${dir}/report.json`,
    ],
    {
      cwd: repo,
      reject: false,
      env: { KUBECONFIG: EMBEDDED_KUBECONFIG, OUTAGE_MARKER: marker, ...env },
      timeout: 300_000,
    },
  );
  let stopped: StoppedApiserver | undefined;
  try {
    await waitForFile(marker, 120_000);
    stopped = await stopApiserver();
    await new Promise((r) => setTimeout(r, downMs));
    await stopped.start();
  } finally {
    await stopped?.start(); // never leave the cluster without its API server
  }
  const r = await run;
  const report = JSON.parse(readFileSync(`${dir}/report.json`, 'utf8')) as RunResult;
  // Audited with a fresh connection once the API is back: nothing with this run's label may remain.
  const cluster = new Cluster(kc);
  const leaked = await cluster.labelled(`${RUN_LABEL}=${report.runId}`);
  // A long outage makes the node controller mark the node NotReady and taint it; later tests need it back.
  await nodeBack(cluster);
  return { r, report, leaked };
}

t.test('a few seconds without the API server: retried with backoff, recorded, and the run passes', async (t) => {
  const { r, report, leaked } = await runWithOutage(t, 4_000, { OUTAGE_READ_MS: '20000' });
  t.equal(r.exitCode, 0, `${r.stderr}`);
  const step = report.steps.find((s) => s.id === 'keep-reading');
  t.equal(step?.status, 'pass');
  t.ok((step?.retries?.length ?? 0) > 0, `the step records its retries (${step?.retries?.length})`);
  t.match(step?.retries?.[0]?.error, /ECONNREFUSED|ECONNRESET|socket hang up|HTTP 5\d\d/, 'each says what failed');
  const delays = step?.retries?.map((x) => x.delayMs) ?? [];
  t.ok(
    delays.some((d, i) => i > 0 && d > delays[0]!),
    `with growing delays (${delays.slice(0, 6).join(', ')} ms ...)`,
  );
  t.ok(report.retries.length >= (step?.retries?.length ?? 0), 'and the run lists them all');
  t.equal(report.teardown?.status, 'pass', report.teardown?.reason);
  t.same(leaked, [], 'nothing labelled with the run is left');
});

t.test('a longer outage fails the step with a clear message, and the teardown still cleans up', async (t) => {
  const { r, report, leaked } = await runWithOutage(t, 25_000, {
    OUTAGE_READ_MS: '60000',
    OUTAGE_STEP_TIMEOUT_MS: '10000',
  });
  t.equal(r.exitCode, 1, 'the run fails');
  const step = report.steps.find((s) => s.id === 'keep-reading');
  t.equal(step?.status, 'fail');
  t.match(
    step?.reason,
    /timed out after 10s; the API server was not answering \(\d+ retries, last: readNamespacedConfigMap: .*(ECONNREFUSED|ECONNRESET)/,
  );
  t.equal(
    report.teardown?.status,
    'pass',
    `teardown waited for the API server and cleaned up (${report.teardown?.reason ?? ''})`,
  );
  t.ok((report.teardown?.retries?.length ?? 0) > 0, 'the teardown itself retried while the API was away');
  t.same(leaked, [], 'nothing labelled with the run is left');
});
