// Scenario for labs/hello-pod/01-hello.md: the same step ids. The lab's text does the work (podlab run types
// it into one shell); the scenario only says when each step is done.
import { defineScenario, step, podIsRunning, readPod, fail, verdict } from 'podlab/scenario';

export default defineScenario('hello', [
  step({
    id: 'deploy-pod',
    title: 'Deploy a pod',
    async check(ctx) {
      return podIsRunning(await readPod(ctx, 'hello'), 'kubectl apply -n $NS -f manifests/hello-pod/pod.yaml');
    },
  }),
  step({
    id: 'say-hello',
    title: 'Say hello',
    async check(ctx) {
      const pod = await readPod(ctx, 'hello');
      if (pod?.status?.phase !== 'Running') {
        return fail({
          expected: 'pod hello Running',
          actual: pod?.status?.phase ?? 'no pod',
          hint: 'finish the step deploy-pod first',
        });
      }
      const r = await ctx.exec('hello', ['echo', 'hello']);
      return verdict(r.stdout.trim() === 'hello', {
        expected: 'hello',
        actual: r.stdout.trim() || r.stderr,
        hint: 'run `kubectl exec -n $NS hello -- echo hello`',
      });
    },
  }),
]);
