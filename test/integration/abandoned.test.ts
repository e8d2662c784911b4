// Abandoned runs: a `podlab run` killed with SIGKILL cannot tear down, so its namespace outlives it. Its lease
// lapses; `podlab doctor` lists it, and the next run reaps it, while a run that is still live is never touched.
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
const env = { KUBECONFIG: EMBEDDED_KUBECONFIG };
const podlab = (args: string[], extraEnv: Record<string, string> = {}) =>
  execa('node', [`${repo}bin/podlab.js`, ...args], {
    reject: false,
    forceKillAfterDelay: false,
    env: { ...env, ...extraEnv },
  });
const runNamespaces = async () =>
  (await cluster.core.listNamespace({ labelSelector: 'podlab.dev/run' })).items.map((n) => ({
    name: n.metadata!.name!,
    run: n.metadata!.labels!['podlab.dev/run']!,
    going: Boolean(n.metadata?.deletionTimestamp),
  }));

t.test(
  'SIGKILL mid-lab: doctor lists the run, the next run reaps it, a live run beside it is left alone',
  async (t) => {
    const before = new Set((await runNamespaces()).map((n) => n.run));
    // A short lease (3 s, renewed every second) so that the test need not wait two minutes for it to lapse.
    const killed = execa('node', [`${repo}bin/podlab.js`, 'run', 'pod-sandboxing'], {
      reject: false,
      detached: true,
      env: { ...env, PODLAB_LEASE_SECONDS: '3' },
    });
    await untilStderr(killed, /PASS deploy-pods/, 'the kill');
    process.kill(-killed.pid!, 'SIGKILL');
    await killed;
    const left = (await runNamespaces()).filter((n) => !before.has(n.run));
    t.equal(left.length, 1, 'the killed run left its namespace behind');
    const abandoned = left[0]!;
    await new Promise((r) => setTimeout(r, 7_000)); // two lease lengths and a second

    const doctor = await podlab(['doctor']);
    t.match(
      doctor.stdout,
      new RegExp(`ok \\d+ - abandoned runs: 1 \\(the next podlab run reaps them\\)[\\s\\S]*${abandoned.run}`),
      'doctor lists it',
    );

    // B reaps the killed run as it starts; C starts while B is live, and must not touch it.
    const b = podlab(['run', 'hello-pod', '--reporter', 'json'], { PODLAB_LEASE_SECONDS: '3' });
    for (let i = 0; i < 300 && !(await runNamespaces()).some((n) => !before.has(n.run) && n.run !== abandoned.run); i++)
      await new Promise((r) => setTimeout(r, 100));
    const c = await podlab(['run', 'hello-pod', '--reporter', 'json']);
    const br = await b;
    t.equal(br.exitCode, 0, `B passes: ${br.stderr}`);
    t.equal(c.exitCode, 0, `C, started beside a live B, passes: ${c.stderr}`);
    const bRun = (JSON.parse(br.stdout) as { runId: string; reaped?: Array<{ runId: string }> }).reaped;
    t.same(
      bRun?.map((r) => r.runId),
      [abandoned.run],
      'B reaped the killed run, and only it',
    );
    t.match(
      br.stderr,
      new RegExp(`podlab: reaping abandoned run ${abandoned.run} \\(pod-sandboxing\\): its lease lapsed`),
      'and said so',
    );
    t.notMatch(c.stderr, /reaping abandoned run/, 'C reaped nothing: B was live');
    t.same(
      (await runNamespaces()).filter((n) => !before.has(n.run)),
      [],
      'nothing of the three runs is left',
    );
  },
);
