// Counts the API requests a client makes, so that `podlab grade` and bench/ can print what grading cost.
import { wrapApi, type ApiLayer } from './wrap-api.js';

export interface ApiStats {
  /** request/response calls (get, list, create, patch, delete, ...) */
  requests: number;
  /** watch streams opened */
  watches: number;
  /** exec sessions opened */
  execs: number;
  /** requests by client method, e.g. listPodForAllNamespaces */
  byMethod: Record<string, number>;
}

export const newStats = (): ApiStats => ({ requests: 0, watches: 0, execs: 0, byMethod: {} });

/** The layer that counts each call in `stats`, once per call whatever the layers beneath it do; see wrap-api.ts. */
export const countCalls =
  (stats: ApiStats): ApiLayer =>
  (method, next) =>
  (...args) => {
    stats.requests++;
    stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    return next(...args);
  };

/** The same API client, with every method call counted in `stats`. */
export const counted = <T extends object>(api: T, stats: ApiStats): T => wrapApi(api, [countCalls(stats)]);

export function formatStats(s: ApiStats): string {
  return `${s.requests + s.watches + s.execs} API calls (${s.requests} requests, ${s.watches} watches, ${s.execs} execs)`;
}
