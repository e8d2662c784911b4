// Transient API errors (connection refused, 5xx, 429) are retried with exponential backoff and recorded.
import { AsyncLocalStorage } from 'node:async_hooks';
import { ApiUnavailable } from '../errors.js';
import { wrapApi, type ApiLayer } from './wrap-api.js';

export { ApiUnavailable };

export interface RetryRecord {
  attempt: number;
  error: string;
  delayMs: number;
  /** when it failed (ISO time) */
  at: string;
}

export function isTransient(err: unknown): boolean {
  if (err instanceof ApiUnavailable) return false;
  const e = err as { code?: unknown; cause?: { code?: string }; message?: string };
  if (typeof e?.code === 'number') return e.code >= 500 || e.code === 429;
  const code = typeof e?.code === 'string' ? e.code : e?.cause?.code;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET'].includes(code ?? '') ||
    /ECONNREFUSED|ECONNRESET|socket hang up|fetch failed/.test(e?.message ?? '')
  );
}

/**
 * The retry log of the step whose work is running now: a call made on a step's behalf (in its own async
 * context, even beside other steps of a parallel group) records its retries there, and only there.
 */
export const stepRetryLog = new AsyncLocalStorage<RetryRecord[]>();

export async function withRetry<T>(
  what: string,
  fn: () => Promise<T>,
  opts: { budgetMs?: number; log?: RetryRecord[]; signal?: AbortSignal } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.budgetMs ?? 30_000);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const delayMs = Math.min(200 * 2 ** (attempt - 1), 5_000);
      if (!isTransient(err) || Date.now() + delayMs > deadline || opts.signal?.aborted) {
        if (isTransient(err))
          throw new ApiUnavailable(
            `${what}: the API server did not answer for ${Math.round((opts.budgetMs ?? 30_000) / 1000)}s (${describeError(err)})`,
          );
        throw err;
      }
      const record = { attempt, error: `${what}: ${describeError(err)}`, delayMs, at: new Date().toISOString() };
      opts.log?.push(record);
      stepRetryLog.getStore()?.push(record);
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

export function describeError(err: unknown): string {
  const e = err as { code?: unknown; body?: unknown; message?: string };
  if (typeof e?.code === 'number') {
    let msg: string;
    try {
      msg = (typeof e.body === 'string' ? JSON.parse(e.body) : e.body)?.message ?? '';
    } catch {
      msg = String(e.body ?? '');
    }
    return `HTTP ${e.code}${msg ? `: ${msg}` : ''}`;
  }
  return (e?.message ?? String(err)).split('\n')[0]!;
}

export const isNotFound = (err: unknown) => (err as { code?: unknown })?.code === 404;

/** The layer that retries each call on transient errors (and logs each retry); see wrap-api.ts. */
export const retryCalls =
  (opts: { log: RetryRecord[]; budgetMs: number }): ApiLayer =>
  (method, next) =>
  (...args) =>
    withRetry(method, () => next(...args) as Promise<unknown>, opts);

/** The same API client, with every method call retried on transient errors (and each retry logged). */
export const retrying = <T extends object>(api: T, opts: { log: RetryRecord[]; budgetMs: number }): T =>
  wrapApi(api, [retryCalls(opts)]);
