// `podlab cluster up --profile aks`: the embedded cluster in AKS's shape (RuntimeClass kata-vm-isolation with AKS's
// overhead and scheduling, a Kata pool's node labels, the ACR image name the text computes), gVisor behind it.
// The whole lab runs as written, on the AKS branches of the text; only the checks that need a real VM guest skip.
import t from 'tap';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { EMBEDDED_KUBECONFIG } from '../../harness/src/k8s/kubeconfig.js';
import type { RunResult } from '../../harness/src/report/model.js';
import { POD_SANDBOXING_STEPS } from '../helpers/labs.js';
import { kubectl as kubectlArgs } from '../cluster/kubectl.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const podlab = (...args: string[]) => {
  const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: EMBEDDED_KUBECONFIG };
  // As an AKS attendee without their instructor's ACR_NAME: the text's own default image name.
  delete env.LAB_IMAGE;
  delete env.ACR_NAME;
  return execa('node', [`${repo}bin/podlab.js`, ...args], { reject: false, env, extendEnv: false });
};
const kubectl = (...args: string[]) => kubectlArgs(args);
// The checks whose truth needs a real Kata VM guest (its sizing, OOM inside it; hostNetwork that may break a Kata node).
const VM_GUEST_SKIPS = ['guest-resources', 'oom-killed', 'host-network'];

t.test('the aks profile: AKS names, labels, overhead and scheduling; the lab green on the AKS text', async (t) => {
  t.teardown(async () => {
    const back = await podlab('cluster', 'up');
    if (back.exitCode !== 0) throw new Error(`could not restore the default profile: ${back.stderr}`);
  });
  const up = await podlab('cluster', 'up', '--profile', 'aks');
  t.equal(up.exitCode, 0, up.stderr);
  t.match((await podlab('cluster', 'status')).stdout, /^profile: aks$/m, 'status names the profile');

  const rc = JSON.parse((await kubectl('get', 'runtimeclass', 'kata-vm-isolation', '-o', 'json')).stdout);
  t.equal(rc.handler, 'kata');
  t.same(
    rc.overhead,
    { podFixed: { memory: '600Mi' } },
    "AKS's default class overhead (considerations-pod-sandboxing)",
  );
  t.same(rc.scheduling, { nodeSelector: { 'kubernetes.azure.com/kata-vm-isolation': 'true' } });
  t.equal((await kubectl('get', 'runtimeclass', 'gvisor')).exitCode, 1, 'no gvisor class, as on AKS');
  const labels = JSON.parse((await kubectl('get', 'node', 'podlab', '-o', 'json')).stdout).metadata.labels;
  t.match(labels, {
    'kubernetes.azure.com/kata-vm-isolation': 'true',
    'kubernetes.azure.com/os-sku': 'AzureLinux',
    agentpool: 'kata',
  });

  const r = await podlab('run', 'pod-sandboxing', '--reporter', 'json');
  t.equal(r.exitCode, 0, r.stderr);
  const result = JSON.parse(r.stdout) as RunResult;
  t.equal(result.platform, 'aks', 'detected as AKS: the AKS blocks of the text ran');
  t.equal(result.sandbox, 'kata-vm-isolation');
  t.same(
    result.steps.map((s) => s.id),
    POD_SANDBOXING_STEPS,
  );
  for (const s of result.steps) {
    if (VM_GUEST_SKIPS.includes(s.id)) {
      t.equal(s.status, 'skip', `${s.id} skips`);
      t.match(s.reason, /aks-kata-podlab/, `${s.id}: the reason names the profile`);
    } else t.equal(s.status, 'pass', `${s.id} passes`);
  }
  const byId = Object.fromEntries(result.steps.map((s) => [s.id, s]));
  t.match(byId['guest-resources']?.reason, /needs a real Kata VM guest, and gVisor stands in/);
  t.match(
    byId['deploy-pods']?.evidence?.['sandboxed container'],
    { image: 'myregistry.azurecr.io/podlab-lab:1.0' },
    "the AKS text's image name, pulled from the loopback registry",
  );
  t.match(byId['runtimeclass-scheduling']?.evidence?.['pod spec.nodeSelector (merged in at admission)'], {
    'kubernetes.azure.com/kata-vm-isolation': 'true',
  });
  t.match(byId['isolate-sandboxed']?.actual, /^blocked/);
});
