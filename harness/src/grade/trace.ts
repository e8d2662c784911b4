// What one attendee's check read from outside its own part of the snapshot. A check answered from memory alone
// (its namespace's pods and NetworkPolicies, the namespace itself, the nodes and RuntimeClasses) and from exec
// results kept for unchanged pods gives the same answer again while none of those changed; a check that asked
// the API server, read another namespace, waited, or had an exec fail, may not: its result is not reused.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kind } from './snapshot.js';

export interface Trace {
  /** the attendee's namespace: reads of a namespaced kind elsewhere are outside */
  namespace: string;
  /** why this check's answer may change without its namespace changing (empty: it will not) */
  outside: string[];
}

const current = new AsyncLocalStorage<Trace>();

/** Runs one attendee's check with its reads traced. */
export function traced<T>(namespace: string, check: () => Promise<T>): { trace: Trace; result: Promise<T> } {
  const trace: Trace = { namespace, outside: [] };
  return { trace, result: current.run(trace, check) };
}

/** The check being traced (if any) got an answer from outside the snapshot. */
export function readOutside(why: string): void {
  current.getStore()?.outside.push(why);
}

/**
 * A read answered from the snapshot: outside the attendee's part of it when it names another namespace, or
 * lists a namespaced kind (or the namespaces) across all of them.
 */
export function readFromSnapshot(kind: Kind, a: { name?: string; namespace?: string }): void {
  const trace = current.getStore();
  if (!trace) return;
  if (kind === 'namespaces') {
    if (a.name !== trace.namespace) trace.outside.push(`read namespaces beside ${trace.namespace}`);
  } else if ((kind === 'pods' || kind === 'networkpolicies') && a.namespace !== trace.namespace) {
    trace.outside.push(`read ${kind} ${a.namespace ? `in ${a.namespace}` : 'in every namespace'}`);
  }
}
