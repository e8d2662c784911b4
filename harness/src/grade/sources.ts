// Where a room's attendees live: namespaces of one cluster, one kubeconfig context each, or one kubeconfig file each.
import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { Cluster } from '../k8s/cluster.js';
import { credentialsOf, loadKubeConfig } from '../k8s/kubeconfig.js';
import type { Redactor } from '../report/redact.js';
import { TRUSTED } from '../k8s/credential-plugins.js';
import { UsageError } from '../errors.js';

/** An attendee whose API server does not answer for this long is reported unreachable. */
const GRADE_RETRY_BUDGET_MS = 10_000;

export interface Source {
  /** the context or kubeconfig file the attendee is known by; undefined for the single default cluster */
  label?: string;
  /** opens the connection; throws when the kubeconfig or context is unusable */
  connect(): { cluster: Cluster; namespace?: string };
}

export interface SourceFlags {
  kubeconfig?: string;
  context?: string;
  contexts?: string;
  kubeconfigDir?: string;
  /** credential plugins the kubeconfigs in --kubeconfig-dir may run (names on PATH, or absolute paths) */
  allowExec?: string[];
}

function open(kubeconfig: string | undefined, context: string | undefined, redactor: Redactor, plugins = TRUSTED) {
  const kc = loadKubeConfig({ kubeconfig, context }, '', plugins);
  credentialsOf(kc).forEach((c) => redactor.add(c));
  return {
    cluster: new Cluster(kc, { retryBudgetMs: GRADE_RETRY_BUDGET_MS }),
    namespace: kc.getContextObject(kc.getCurrentContext())?.namespace,
  };
}

/** The attendees' sources; each, once connected, adds its kubeconfig's credentials to `redactor` (the command's). */
export function sourcesFrom(f: SourceFlags, redactor: Redactor): Source[] {
  if (f.contexts && f.kubeconfigDir) throw new UsageError('use either --contexts or --kubeconfig-dir, not both');
  if (f.allowExec?.length && !f.kubeconfigDir)
    throw new UsageError(
      "--allow-exec is for --kubeconfig-dir: your own kubeconfig's plugins run as kubectl runs them",
    );
  if (f.contexts) {
    const names = f.contexts
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    if (!names.length) throw new UsageError('--contexts needs at least one context name');
    return names.map((name) => ({ label: name, connect: () => open(f.kubeconfig, name, redactor) }));
  }
  if (f.kubeconfigDir) {
    let files: string[];
    try {
      files = readdirSync(f.kubeconfigDir)
        .filter((n) => !n.startsWith('.') && statSync(join(f.kubeconfigDir!, n)).isFile())
        .sort();
    } catch (err) {
      throw new UsageError(
        `--kubeconfig-dir ${f.kubeconfigDir}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (err as Error).message}`,
      );
    }
    if (!files.length)
      throw new UsageError(
        `--kubeconfig-dir ${f.kubeconfigDir}: no files in it (put one kubeconfig per attendee there)`,
      );
    return files.map((n) => ({
      label: basename(n, extname(n)),
      // The files are the attendees': their credential plugins run only if the instructor allowed them.
      connect: () => open(join(f.kubeconfigDir!, n), undefined, redactor, { trusted: false, allow: f.allowExec ?? [] }),
    }));
  }
  return [{ connect: () => open(f.kubeconfig, f.context, redactor) }];
}
