// One watch of one named object, from a listed resourceVersion, until an object matches, the watch ends
// (deleted, closed by the server) or time runs out. An abort rejects before it stops the watch, whose end would
// otherwise settle the wait as 'ended' and let the caller watch on.
import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';

export type WatchOutcome = 'matched' | 'ended' | 'timeout';

export function watchOnce<T extends KubernetesObject>(
  kubeconfig: KubeConfig,
  opts: {
    path: string;
    name: string;
    resourceVersion?: string;
    remainingMs: number;
    signal?: AbortSignal;
    what: string;
    /** sees every added or modified object; true when it matches */
    onObject: (obj: T) => boolean;
  },
): Promise<WatchOutcome> {
  return new Promise<WatchOutcome>((resolve, reject) => {
    let controller: AbortController | undefined;
    const finish = (r: WatchOutcome) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      controller?.abort();
      resolve(r);
    };
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error(`${opts.what}: aborted`));
      controller?.abort();
    };
    const timer = setTimeout(() => finish('timeout'), opts.remainingMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const query = { fieldSelector: `metadata.name=${opts.name}`, resourceVersion: opts.resourceVersion };
    new Watch(kubeconfig)
      .watch(
        opts.path,
        { ...query, allowWatchBookmarks: true },
        (phase, obj: T) => {
          if (phase === 'BOOKMARK') return;
          if (phase === 'DELETED') return finish('ended');
          if (opts.onObject(obj)) finish('matched');
        },
        () => finish('ended'),
      )
      .then(
        (c) => {
          controller = c;
        },
        () => finish('ended'),
      );
  });
}
