// In `podlab check` and `grade` a scenario's check gets clients that cannot write (pure logic: a stand-in client).
import t from 'tap';
import { readOnly } from '../../harness/src/scenario/context.js';
import { ReadOnlyViolation } from '../../harness/src/errors.js';

const calls: string[] = [];
const client = {
  listNamespacedPod: async () => {
    calls.push('list');
    return { items: [] };
  },
  readNamespace: async () => {
    calls.push('read');
    return {};
  },
  createNamespacedPod: async () => {
    calls.push('create');
  },
  deleteNamespacedPod: async () => {
    calls.push('delete');
  },
  patchNamespacedPod: async () => {
    calls.push('patch');
  },
  replaceNamespacedConfigMap: async () => {
    calls.push('replace');
  },
  connectGetNamespacedPodExec: async () => {
    calls.push('connect');
  },
};

t.test('reads go through; every write is refused before it is sent, with a clear error', async (t) => {
  const core = readOnly(client, 'core');
  t.same(await core.listNamespacedPod(), { items: [] });
  await core.readNamespace();
  for (const write of [
    'createNamespacedPod',
    'deleteNamespacedPod',
    'patchNamespacedPod',
    'replaceNamespacedConfigMap',
    'connectGetNamespacedPodExec',
  ] as const) {
    const err = await core[write]().then(
      () => undefined,
      (e: unknown) => e,
    );
    t.ok(err instanceof ReadOnlyViolation, `${write} is refused`);
    await t.rejects(core[write](), {
      message: `read-only check: ctx.core.${write}() would change the cluster, and checks only read (podlab check and grade)`,
    });
  }
  t.same(calls, ['list', 'read'], 'no write reached the client');
});
