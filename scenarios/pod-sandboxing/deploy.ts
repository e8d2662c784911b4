import { defineScenario, step, pass, fail, isLabImage, labImage } from 'podlab/scenario';
import { APPLY, applyAndWait, readPod, ready } from './lib.js';
import { scheduling } from './scheduling.js';

export default defineScenario('deploy', [
  step({
    id: 'deploy-pods',
    title: 'Deploy a sandboxed pod and a normal pod',
    after: ['cluster-ready'],
    timeout: 180_000,
    async run(ctx) {
      await applyAndWait(ctx, 'pods.yaml', ['sandboxed', 'normal']);
    },
    async check(ctx) {
      const notReady = await ready(ctx, [
        ['sandboxed', 'pods.yaml'],
        ['normal', 'pods.yaml'],
      ]);
      if (notReady) return notReady;
      const pods = { sandboxed: await readPod(ctx, 'sandboxed'), normal: await readPod(ctx, 'normal') };
      const sandboxed = pods.sandboxed?.spec?.runtimeClassName;
      const normal = pods.normal?.spec?.runtimeClassName;
      ctx.evidence('runtimeClassName', { sandboxed: sandboxed ?? '(none)', normal: normal ?? '(none)' });
      for (const [name, pod] of Object.entries(pods)) {
        const c = pod?.spec?.containers[0];
        const command = [...(c?.command ?? []), ...(c?.args ?? [])].join(' ');
        ctx.evidence(`${name} container`, { image: c?.image, command });
        if (!isLabImage(c?.image) || command !== 'sleep 3600') {
          return fail({
            expected: `${name}: image ${labImage()} (or another podlab-lab image, as LAB_IMAGE names it), command sleep 3600`,
            actual: `image ${c?.image}, command ${command || '(image default)'}`,
            hint: `pod ${name} was not created from the lab manifest: \`kubectl delete pod -n $NS ${name}\` and run \`${APPLY('pods.yaml')}\``,
          });
        }
      }
      if (sandboxed !== ctx.sandbox!.name) {
        return fail({
          expected: `sandboxed.spec.runtimeClassName = ${ctx.sandbox!.name}`,
          actual: sandboxed ?? '(none)',
          hint: `the sandboxed pod must name the sandbox RuntimeClass: delete it and run \`export RUNTIME_CLASS=${ctx.sandbox!.name}; ${APPLY('pods.yaml')}\``,
        });
      }
      if (normal) {
        return fail({
          expected: 'normal pod without runtimeClassName',
          actual: normal,
          hint: `the normal pod must use the default runtime: \`kubectl delete pod -n $NS normal\` and re-apply it from pods.yaml, which gives it no runtimeClassName`,
        });
      }
      return pass({
        expected: `sandboxed on ${ctx.sandbox!.name}, normal on the default runtime`,
        actual: { sandboxed, normal: '(default)' },
      });
    },
  }),
  scheduling,
]);
