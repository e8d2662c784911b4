// The room the grading-cost bench grades: attendee namespaces solved to a step, and a thousand empty ones labelled
// as the room's. Everything made here is the bench's own to delete, on Ctrl-C too.
import { rmSync } from 'node:fs';
import { execa } from 'execa';
import pLimit from 'p-limit';
import { defaultServiceAccount } from '../harness/src/runner/namespace.js';
import { cluster, env, log, podlabBin, root, work } from './setup.js';

const made = new Set<string>();

export async function deleteAll(): Promise<void> {
  if (!made.size) return;
  log(`deleting the ${made.size} namespaces of the room-grading bench`);
  const limit = pLimit(32);
  const names = [...made];
  await Promise.all(
    names.map((name) =>
      limit(async () => {
        await cluster.deleteNamespace(name, 300_000).catch(() => undefined);
        made.delete(name);
      }),
    ),
  );
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    log(`${sig}: cleaning up the room-grading bench`);
    void deleteAll().finally(() => {
      rmSync(work, { recursive: true, force: true });
      process.exit(130);
    });
  });
}

/** Empty namespaces with these labels, 32 created at once. */
export async function createNamespaces(names: string[], labels: Record<string, string>): Promise<void> {
  const limit = pLimit(32);
  await Promise.all(
    names.map((name) =>
      limit(async () => {
        made.add(name);
        await cluster.core.createNamespace({ body: { metadata: { name, labels } } });
      }),
    ),
  );
}

/**
 * `podlab solve pod-sandboxing --to STEP` in each namespace, `batch` at a time (what the node holds at once).
 * Returns the namespaces where it failed (a pod Pending on CPU is the node full, not the bench broken).
 */
export async function solve(names: string[], to: string, batch: number): Promise<string[]> {
  const failed: string[] = [];
  for (let i = 0; i < names.length; i += batch) {
    const group = names.slice(i, i + batch);
    log(`podlab solve pod-sandboxing --to ${to} in ${group.join(', ')}`);
    await Promise.all(
      group.map(async (name) => {
        await defaultServiceAccount(cluster, name);
        const r = await execa('node', [podlabBin, 'solve', 'pod-sandboxing', '--to', to, '--namespace', name], {
          cwd: root,
          env,
          reject: false,
        });
        if (r.exitCode === 0) return;
        failed.push(name);
        log(`podlab solve failed in ${name}:\n${r.stdout}${r.stderr}`);
      }),
    );
  }
  return failed;
}

/** Touches one pod (an annotation): a new resourceVersion, what an attendee's change looks like to the grader. */
export async function touchPod(namespace: string, pod: string, value: string): Promise<void> {
  await execa('kubectl', ['annotate', '--overwrite', '-n', namespace, `pod/${pod}`, `podlab-bench/touched=${value}`], {
    env,
  });
}

/** uid/resourceVersion of every pod in these namespaces. */
export async function podVersions(namespaces: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const ns of namespaces)
    for (const p of (await cluster.core.listNamespacedPod({ namespace: ns })).items)
      out.set(`${ns}/${p.metadata?.name}`, `${p.metadata?.uid}/${p.metadata?.resourceVersion}`);
  return out;
}
