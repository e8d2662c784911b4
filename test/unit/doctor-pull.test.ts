// The pull test's reading of a pod, its hints, and the lab image each platform defaults to.
import t from 'tap';
import type { V1Pod } from '@kubernetes/client-node';
import { pullHint, pullVerdict, stuckAt } from '../../harness/src/cli/doctor-pull.js';
import { platformLabImage } from '../../harness/src/scenario/image.js';

const pod = (status: V1Pod['status'], nodeName?: string): V1Pod => ({ spec: { containers: [], nodeName }, status });
const waiting = (reason: string, message?: string) =>
  pod(
    {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'pull',
          image: 'x',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason, message } },
        },
      ],
    },
    'n1',
  );

t.test('pulled once the container has an image ID, ran, or the pod succeeded', async (t) => {
  t.same(pullVerdict(pod({ phase: 'Succeeded' })), { pulled: true });
  t.same(
    pullVerdict(
      pod({
        phase: 'Failed',
        containerStatuses: [
          {
            name: 'pull',
            image: 'x',
            imageID: 'sha256:ab',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 127 } },
          },
        ],
      }),
    ),
    { pulled: true },
  );
  t.same(
    pullVerdict(
      pod({
        phase: 'Pending',
        containerStatuses: [
          { name: 'pull', image: 'x', imageID: '', ready: false, restartCount: 0, state: { running: {} } },
        ],
      }),
    ),
    { pulled: true },
  );
});

t.test(
  "an image error ends the wait with the kubelet's reason and message; anything else keeps it waiting",
  async (t) => {
    for (const reason of ['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName']) {
      t.same(pullVerdict(waiting(reason, 'nope')), { pulled: false, reason, message: 'nope' });
    }
    t.equal(pullVerdict(waiting('ContainerCreating')), undefined);
    t.equal(pullVerdict(pod({ phase: 'Pending' })), undefined);
  },
);

t.test('where a pod that neither pulled nor failed got to', async (t) => {
  t.equal(stuckAt(undefined), 'the pod was never seen');
  const unscheduled = pod({
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'False', message: '0/3 nodes are available: untolerated taint' }],
  });
  t.equal(stuckAt(unscheduled), 'not scheduled: 0/3 nodes are available: untolerated taint');
  const creating = waiting('ContainerCreating');
  creating.status!.conditions = [{ type: 'PodScheduled', status: 'True' }];
  t.equal(stuckAt(creating), 'on node n1, container waiting: ContainerCreating');
});

t.test(
  'hints: attach the ACR on AKS, build it there when the image is not in ACR, the local image locally',
  async (t) => {
    t.match(pullHint('myacr.azurecr.io/podlab-lab:1.0', 'aks'), /--attach-acr myacr\b.*--repository podlab-lab$/);
    t.match(pullHint('localhost/podlab-lab:latest', 'aks'), /az acr build .*--attach-acr \$ACR_NAME.*LAB_IMAGE=/);
    t.match(pullHint('127.0.0.1:1/nope:1', 'local'), /podlab cluster up/);
    t.match(pullHint('ghcr.io/x/y:1', 'other'), /imagePullSecrets/);
  },
);

t.test("the image doctor pulls: LAB_IMAGE, else on AKS the instructor's ACR image, else the local one", async (t) => {
  t.equal(platformLabImage('aks', { LAB_IMAGE: 'r.example/lab:2', ACR_NAME: 'myacr' }), 'r.example/lab:2');
  t.equal(platformLabImage('aks', { ACR_NAME: 'myacr' }), 'myacr.azurecr.io/podlab-lab:1.0');
  t.equal(platformLabImage('aks', {}), '127.0.0.1:5000/podlab-lab:1.0');
  t.equal(platformLabImage('local', { ACR_NAME: 'myacr' }), '127.0.0.1:5000/podlab-lab:1.0');
});
