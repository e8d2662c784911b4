// Counts the API requests a client makes, so that `podlab grade` and bench/ can print what grading cost.
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

/** The same API client, with every method call counted in `stats`. */
export function counted<T extends object>(api: T, stats: ApiStats): T {
  return new Proxy(api, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        stats.requests++;
        stats.byMethod[prop] = (stats.byMethod[prop] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

export function formatStats(s: ApiStats): string {
  return `${s.requests + s.watches + s.execs} API calls (${s.requests} requests, ${s.watches} watches, ${s.execs} execs)`;
}
