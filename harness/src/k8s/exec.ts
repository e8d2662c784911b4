// A command in a pod's container over the API's exec subresource: its output, and its exit code from the status.
// The output is bounded (head and tail of each stream kept), and a command that writes without end is ended:
// a pod is the attendee's, and one attendee's `yes` must not exhaust the grader's memory.
import { Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import type { ExecResult } from './types.js';
import { describeError } from './retry.js';
import { BoundedText } from '../bounded-text.js';

export interface ExecOptions {
  container?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Bytes of each stream kept from its start, and from its end. */
const EXEC_KEEP_BYTES = 32 * 1024;
/** Bytes an exec may write (both streams) before podlab ends it. */
const EXEC_MAX_BYTES = 1024 * 1024;
const EXEC_TIMEOUT_MS = 60_000;

/** The command did not end within its time limit (it may still run in the pod; its session is closed). */
export class ExecTimeout extends Error {}

export function execInPod(
  kubeconfig: KubeConfig,
  target: { namespace: string; pod: string; container: string; argv: string[] },
  opts: ExecOptions,
): Promise<ExecResult> {
  const { namespace, pod, container, argv } = target;
  const what = `exec in ${namespace}/${pod}`;
  const stdout = new BoundedText(EXEC_KEEP_BYTES, EXEC_KEEP_BYTES);
  const stderr = new BoundedText(EXEC_KEEP_BYTES, EXEC_KEEP_BYTES);
  return new Promise<ExecResult>((resolve, reject) => {
    let socket: { close(): void } | undefined;
    let settled = false;
    const timeoutMs = opts.timeoutMs ?? EXEC_TIMEOUT_MS;
    /** Settles once: later events (a status after an abort, data after the cap) change nothing. */
    const end = (outcome: { result: ExecResult } | { error: Error }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket?.close();
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.result);
    };
    const onAbort = () => end({ error: new Error('exec aborted') });
    const timer = setTimeout(
      () => end({ error: new ExecTimeout(`${what} timed out after ${timeoutMs / 1000}s: ${argv.join(' ')}`) }),
      timeoutMs,
    );
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const onStatus = (status: V1Status) => {
      const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
      const code = status.status === 'Success' ? 0 : Number(cause?.message ?? 1);
      // Let the streams drain before resolving.
      setImmediate(() => {
        const err = stderr.toString() || (code !== 0 && !cause ? (status.message ?? '') : '');
        end({ result: { stdout: stdout.toString(), stderr: err, code } });
      });
    };
    const overflow = () => {
      const note = `podlab ended the command: it wrote more than ${EXEC_MAX_BYTES / 1024 / 1024} MiB`;
      const err = stderr.toString();
      end({ result: { stdout: stdout.toString(), stderr: err ? `${err}\n${note}` : note, code: 1 } });
    };
    const out = cappedSink(stdout, () => settled, [stdout, stderr], overflow);
    const err = cappedSink(stderr, () => settled, [stdout, stderr], overflow);
    new Exec(kubeconfig).exec(namespace, pod, container, argv, out, err, null, false, onStatus).then(
      (ws) => {
        socket = ws;
        if (settled) ws.close();
      },
      (e: unknown) => end({ error: new Error(`${what} failed: ${describeError(e)}`) }),
    );
  });
}

/** A stream into `text` that calls `overflow` once the streams together have seen more than EXEC_MAX_BYTES. */
function cappedSink(text: BoundedText, done: () => boolean, all: BoundedText[], overflow: () => void): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, next) {
      if (!done()) {
        text.write(chunk);
        if (all.reduce((n, t) => n + t.seen, 0) > EXEC_MAX_BYTES) overflow();
      }
      next();
    },
  });
}
