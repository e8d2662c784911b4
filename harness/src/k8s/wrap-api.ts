// The one way podlab wraps an API client of @kubernetes/client-node: a Proxy whose methods go through a list of
// layers (retry, count, refuse writes, serve from a snapshot). A layer is a small function of the method's name
// and the call beneath it; it returns the call to make instead, or undefined to leave the method as it is.

/** A method call of an API client, bound to the client. */
export type ApiCall = (...args: unknown[]) => unknown;

/** One layer: the call to make for `method` instead of `next` (the layers beneath it), or undefined for `next`. */
export type ApiLayer = (method: string, next: ApiCall) => ApiCall | undefined;

/**
 * The same API client, each method call going through `layers`: the first is nearest the client, the last is
 * called first. Properties that are not methods, and methods no layer takes, are the client's own.
 */
export function wrapApi<T extends object>(api: T, layers: readonly ApiLayer[]): T {
  return new Proxy(api, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      let call: ApiCall | undefined;
      for (const layer of layers)
        call = layer(prop, call ?? ((...args) => (value as ApiCall).apply(target, args))) ?? call;
      return call ?? value;
    },
  });
}

/** Methods of a generated API client that change the cluster. */
const WRITES = /^(create|delete|patch|replace|connect)/;

/** Reads go through; a write is refused (its promise rejects with `refusal(method)`) before it is sent. */
export const denyWrites =
  (refusal: (method: string) => Error): ApiLayer =>
  (method) =>
    WRITES.test(method) ? () => Promise.reject(refusal(method)) : undefined;

/** The methods named in `routes` answered by their route, which may still make the call beneath (`next`). */
export const routeMethods =
  (routes: Readonly<Record<string, (next: ApiCall) => ApiCall>>): ApiLayer =>
  (method, next) =>
    Object.hasOwn(routes, method) ? routes[method]!(next) : undefined;
