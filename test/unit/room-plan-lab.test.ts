// The Pod Sandboxing lab's own room budget on podlab's 2-CPU node (gVisor's overhead: 50m, 64Mi per sandboxed pod),
// read from its text and manifests as `room plan` reads them. Issue 20, acceptance 5: six attendees solved to
// guest-resources must fit the node. With 50m requests on every pod the sixth attendee's `limited` stayed Pending
// (4 pods, 3 sandboxed: 350m each, 2100m for six); the pods that only sleep now request 25m (250m each, 1500m).
import t from 'tap';
import { planOf } from '../../harness/src/cli/common.js';
import { timeline } from '../../harness/src/room/timeline.js';
import { budgetOf } from '../../harness/src/room/budget.js';
import { capacityOf } from '../../harness/src/room/capacity.js';

const overhead = { cpu: 50, memory: 64 * 2 ** 20 };
const node = { name: 'podlab', cpu: 2000, memory: 23 * 2 ** 30, pods: 110, used: { cpu: 0, memory: 0, pods: 0 } };

for (const platform of ['local', 'other'] as const)
  t.test(
    `${platform} blocks: six attendees solved to guest-resources fit the 2-CPU node; the lab plans 2`,
    async (t) => {
      const plan = await planOf('pod-sandboxing');
      if (!plan) throw new Error('the pod-sandboxing lab does not plan');
      const tl = timeline(plan, platform);
      const upTo = tl.moments.findIndex((m) => m.step === 'guest-resources');
      t.ok(upTo > 0, 'the text has a guest-resources step');
      t.same(tl.moments[upTo]!.alive.map((p) => p.name).sort(), ['limited', 'normal', 'sandboxed', 'sandboxed-peer']);
      const solved = budgetOf({ kinds: tl.kinds, moments: tl.moments.slice(0, upTo + 1) }, overhead);
      t.equal(solved.requests.cpu.value, 250, '4 pods × 25m + 3 sandboxed × 50m overhead (was 350m)');
      t.ok(6 * solved.requests.cpu.value <= 0.8 * node.cpu, 'six attendees take at most 80% of the node: 1500m');

      // the whole lab: the noisy step's burst (victim 500m + noisy 250m + 50m, both burning) is 800m per attendee
      const whole = capacityOf(budgetOf(tl, overhead), [node]);
      t.equal(whole.holds, 2, 'the as-written rehearsal stays at its planned size of 2');
      t.equal(whole.demands.find((d) => d.resource === 'cpu burst')?.perAttendee, 800);
    },
  );
