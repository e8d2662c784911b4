// A command in a pod's container over the API's exec subresource: its output, and its exit code from the status.
import { PassThrough } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import type { ExecResult } from './types.js';
import { describeError } from './retry.js';

export interface ExecOptions {
  container?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export function execInPod(
  kubeconfig: KubeConfig,
  target: { namespace: string; pod: string; container: string; argv: string[] },
  opts: ExecOptions,
): Promise<ExecResult> {
  const { namespace, pod, container, argv } = target;
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  err.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise<ExecResult>((resolve, reject) => {
    let socket: { close(): void } | undefined;
    const onAbort = () => {
      socket?.close();
      clearTimeout(timer);
      reject(new Error('exec aborted'));
    };
    const timer = setTimeout(() => {
      socket?.close();
      opts.signal?.removeEventListener('abort', onAbort);
      reject(
        new Error(
          `exec in ${namespace}/${pod} timed out after ${(opts.timeoutMs ?? 60_000) / 1000}s: ${argv.join(' ')}`,
        ),
      );
    }, opts.timeoutMs ?? 60_000);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const onStatus = (status: V1Status) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
      const code = status.status === 'Success' ? 0 : Number(cause?.message ?? 1);
      // Let the streams drain before resolving.
      setImmediate(() =>
        resolve({ stdout, stderr: stderr || (code !== 0 && !cause ? (status.message ?? '') : ''), code }),
      );
    };
    new Exec(kubeconfig).exec(namespace, pod, container, argv, out, err, null, false, onStatus).then(
      (ws) => {
        socket = ws;
      },
      (e: unknown) => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        reject(new Error(`exec in ${namespace}/${pod} failed: ${describeError(e)}`));
      },
    );
  });
}
