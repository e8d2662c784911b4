// What the attendee's terminal has: the environment and working directory a run's shell starts with.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { tmpdir, userInfo } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { repoRoot } from '../paths.js';

/** Variables a terminal has anyway, passed on from podlab's own environment; nothing else is (no CI secrets). */
const KEPT = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
  'XDG_CACHE_HOME',
  'XDG_STATE_HOME',
  'XDG_CONFIG_HOME',
  'PODLAB_STATE_DIR',
  'GOPATH',
  'GOCACHE',
  'GOMODCACHE',
  'LAB_IMAGE',
];

export interface AttendeeOptions {
  /** the namespace the attendee works in, given as an instructor would: in NS */
  namespace: string;
  kubeconfig?: string;
  /** a folder holding kubectl, put on PATH when PATH has none (asked only then) */
  kubectlDir?: () => string | undefined;
}

export function attendeeEnv(o: AttendeeOptions, from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of KEPT) if (from[key]) env[key] = from[key]!;
  env.USER ??= userInfo().username;
  env.HOME ??= userInfo().homedir;
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  const kubectlDir = onPath(env.PATH, 'kubectl') ? undefined : o.kubectlDir?.();
  if (kubectlDir) env.PATH = `${env.PATH}${delimiter}${kubectlDir}`;
  env.SHELL = '/bin/bash';
  env.TERM = 'dumb';
  env.NS = o.namespace;
  if (o.kubeconfig) env.KUBECONFIG = o.kubeconfig;
  return env;
}

const onPath = (path: string, cmd: string) => path.split(delimiter).some((d) => d && existsSync(join(d, cmd)));

/**
 * The kubeconfig the attendee's kubectl uses: the same file, unless podlab was told another context (or has
 * no file): then a private copy whose current context is the one podlab uses.
 */
export function shellKubeconfig(kc: KubeConfig, path: string | undefined): { path: string; remove(): void } {
  if (path) {
    const fromFile = new KubeConfig();
    try {
      fromFile.loadFromFile(path);
      if (fromFile.getCurrentContext() === kc.getCurrentContext()) return { path, remove: () => {} };
    } catch {
      /* fall through to a copy */
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'podlab-kubeconfig-'));
  const copy = join(dir, 'config');
  writeFileSync(copy, forKubectl(kc), { mode: 0o600 });
  return { path: copy, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** kubectl has no `tokenFile` auth provider (client-node's in-cluster user): the same token file as kubectl's `tokenFile`. */
export function forKubectl(kc: KubeConfig): string {
  const config = JSON.parse(kc.exportConfig()) as { users: Array<{ user: Record<string, unknown> }> };
  for (const u of config.users) {
    const provider = u.user['auth-provider'] as { name?: string; config?: { tokenFile?: string } } | undefined;
    if (provider?.name === 'tokenFile') u.user = { tokenFile: provider.config?.tokenFile };
  }
  return JSON.stringify(config);
}

/** Where the embedded cluster's kubectl is, when it has been built (the cluster's own scripts say where). */
export function embeddedKubectlDir(): string | undefined {
  try {
    const dir = execFileSync('bash', [join(repoRoot(), 'cluster/scripts/build-k8s.sh'), '--path'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .at(-1);
    return dir && existsSync(join(dir, 'kubectl')) ? dir : undefined;
  } catch {
    return undefined;
  }
}
