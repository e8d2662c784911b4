import { defineScenario, step } from '../../harness/src/scenario/define.js';
import { APPLY, applyAndWait, readPod, ready } from './lib.js';

export default defineScenario('deploy', [
  step({
    id: 'deploy-pods',
    title: 'Deploy a sandboxed pod and a normal pod',
    timeout: 180_000,
    async run(ctx) {
      await applyAndWait(ctx, 'pods.yaml', ['sandboxed', 'normal']);
    },
    async check(ctx) {
      const notReady = await ready(ctx, [['sandboxed', 'pods.yaml'], ['normal', 'pods.yaml']]);
      if (notReady) return notReady;
      const sandboxed = (await readPod(ctx, 'sandboxed'))?.spec?.runtimeClassName;
      const normal = (await readPod(ctx, 'normal'))?.spec?.runtimeClassName;
      ctx.evidence('runtimeClassName', { sandboxed, normal });
      if (sandboxed !== ctx.sandbox!.name) {
        return { ok: false, expected: `sandboxed.spec.runtimeClassName = ${ctx.sandbox!.name}`, actual: sandboxed ?? '(none)',
          hint: `the sandboxed pod must name the sandbox RuntimeClass: delete it and run \`export RUNTIME_CLASS=${ctx.sandbox!.name}; ${APPLY('pods.yaml')}\`` };
      }
      if (normal) {
        return { ok: false, expected: 'normal pod without runtimeClassName', actual: normal,
          hint: 'the normal pod must use the default runtime: remove runtimeClassName from it and recreate it' };
      }
      return { ok: true, expected: `sandboxed on ${ctx.sandbox!.name}, normal on the default runtime`, actual: { sandboxed, normal: '(default)' } };
    },
  }),
]);
