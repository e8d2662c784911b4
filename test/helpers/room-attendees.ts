// A room of attendees for the grading tests: one namespace each on the embedded cluster (the `solved` one solved to
// compare-kernels by podlab, the others left blank), the grades a solved and a blank attendee get, and kubeconfigs
// whose contexts point at the attendees' namespaces, as the admin or as another user.
import type { Test } from 'tap';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { GradeMatrix } from '../../harness/src/grade/matrix.js';
import { createNamespace } from '../../harness/src/runner/namespace.js';
import { POD_SANDBOXING_STEPS } from './labs.js';
import { cluster, kc, podlab } from './room.js';

export const prefix = `room-${process.pid}`;
export const ns = (who: string) => `${prefix}-${who}`;
export const SOLVED = ['done', 'done', 'done', 'done', 'todo', 'todo', 'todo', 'todo', 'todo', 'todo', 'todo', 'todo'];
export const EMPTY_ROW = ['done', ...Array<string>(11).fill('todo')];

const admin = kc.getCurrentUser()!;
const server = kc.getCurrentCluster()!;

/** Before the file's tests, a namespace per attendee (labelled podlab-test=<prefix>), `solved` solved; after, none. */
export function attendees(t: Test, who: string[]): void {
  t.before(async () => {
    for (const w of who) await createNamespace(cluster, ns(w), { 'podlab-test': prefix });
    const solved = await podlab(['solve', 'pod-sandboxing', '--to', 'compare-kernels', '--namespace', ns('solved')]);
    if (solved.exitCode !== 0) throw new Error(`solve failed: ${solved.stdout}${solved.stderr}`);
  });
  t.teardown(async () => {
    await Promise.all(who.map((w) => cluster.deleteNamespace(ns(w), 120_000).catch(() => undefined)));
  });
}

/** An attendee's cell statuses, in the lab's step order. */
export const statuses = (m: GradeMatrix, attendee: string) =>
  POD_SANDBOXING_STEPS.map((id) => m.attendees.find((a) => a.attendee === attendee)?.cells[id]?.status);
export const row = (m: GradeMatrix, attendee: string) => m.attendees.find((a) => a.attendee === attendee);

/** A kubeconfig holding one context per attendee, all on this cluster, each pointing at its own namespace. */
export function kubeconfigWith(
  contexts: Array<{ name: string; namespace: string; server?: string }>,
  user: Record<string, unknown>,
): string {
  const clusters = [...new Set(contexts.map((c) => c.server ?? server.server))].map((s, i) => ({
    name: `c${i}`,
    cluster: { server: s, 'certificate-authority-data': readCa() },
  }));
  const clusterOf = (s: string) => clusters.find((c) => c.cluster.server === s)!.name;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': contexts[0]!.name,
    clusters,
    users: [{ name: 'u', user }],
    contexts: contexts.map((c) => ({
      name: c.name,
      context: { cluster: clusterOf(c.server ?? server.server), user: 'u', namespace: c.namespace },
    })),
  });
}
const readCa = () => server.caData ?? readFileSync(server.caFile!).toString('base64');
export const adminUser = () => ({
  'client-certificate-data': admin.certData ?? readFileSync(admin.certFile!).toString('base64'),
  'client-key-data': admin.keyData ?? readFileSync(admin.keyFile!).toString('base64'),
});
