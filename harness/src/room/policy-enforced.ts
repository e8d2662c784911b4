// A ValidatingAdmissionPolicy is enforced a moment after it is created: the API server learns of the policy and
// its binding through its own informers. A room handed out before then admits the very pods the policy refuses
// (a CI run saw a privileged pod admitted right after `room up`). Nothing in the API says when enforcement
// starts, so this asks the only witness there is: a server-side dry run of a pod the policy must refuse.
import type { V1Pod } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.js';
import { setTimeout as delay } from 'node:timers/promises';

const PROBE: V1Pod = {
  metadata: { name: 'podlab-policy-probe' },
  spec: { hostNetwork: true, containers: [{ name: 'probe', image: 'podlab-policy-probe' }] },
};

/** Resolves once a dry-run hostNetwork pod in `namespace` is refused by `policy`; throws after `timeoutMs`. */
export async function untilPolicyEnforced(
  cluster: Cluster,
  namespace: string,
  policy: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    try {
      await cluster.core.createNamespacedPod({ namespace, body: PROBE, dryRun: 'All' });
      last = 'a hostNetwork pod was admitted (dry run)';
    } catch (e) {
      const said = String((e as { body?: unknown }).body ?? (e as Error).message);
      if (said.includes(`ValidatingAdmissionPolicy '${policy}'`)) return;
      last = said.slice(0, 300);
    }
    if (Date.now() > deadline)
      throw new Error(
        `the room's admission policy ${policy} is not enforced in ${namespace} after ${timeoutMs / 1000} s (${last}); ` +
          'check that the API server enables ValidatingAdmissionPolicy, then run room up again',
      );
    await delay(250);
  }
}
