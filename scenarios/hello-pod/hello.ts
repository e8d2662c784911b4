// Scenario for labs/hello-pod/01-hello.md: the same step ids, run() does what the attendee types.
import { defineScenario, step, podIsRunning, readPod } from 'podlab/scenario';

export default defineScenario('hello', [
  step({
    id: 'deploy-pod',
    title: 'Deploy a pod',
    async run(ctx) {
      await ctx.apply('manifests/hello-pod/pod.yaml');
      await ctx.waitForPod('hello', (p) => p.status?.phase === 'Running');
    },
    async check(ctx) {
      return podIsRunning(await readPod(ctx, 'hello'), 'kubectl apply -n $NS -f manifests/hello-pod/pod.yaml');
    },
  }),
  step({
    id: 'say-hello',
    title: 'Say hello',
    async run() {
      // Nothing to create: the check itself execs into the pod.
    },
    async check(ctx) {
      const pod = await readPod(ctx, 'hello');
      if (pod?.status?.phase !== 'Running') {
        return { ok: false, expected: 'pod hello Running', actual: pod?.status?.phase ?? 'no pod', hint: 'finish the step deploy-pod first' };
      }
      const r = await ctx.exec('hello', ['echo', 'hello']);
      return { ok: r.stdout.trim() === 'hello', expected: 'hello', actual: r.stdout.trim() || r.stderr, hint: 'run `kubectl exec -n $NS hello -- echo hello`' };
    },
  }),
]);
