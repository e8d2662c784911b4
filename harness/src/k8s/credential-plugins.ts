// Commands a kubeconfig makes its reader run: a user's `exec` credential plugin, or the `cmd-path` of the old
// azure/gcp auth providers. A kubeconfig an attendee handed in (grade --kubeconfig-dir) is untrusted: its plugins
// run only if the instructor named them (--allow-exec, like kuberc's credentialPluginAllowlist), by their path
// on podlab's own PATH, and any plugin, trusted or not, gets a time limit and bounded output.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { KubeConfig, User } from '@kubernetes/client-node';
import { UsageError } from '../errors.js';

/** Whose kubeconfig it is: the instructor's own runs every plugin (as kubectl does by default); else only `allow`. */
export interface PluginPolicy {
  trusted: boolean;
  /** plugin names (found on PATH) or absolute paths the instructor allows */
  allow: string[];
}

export const TRUSTED: PluginPolicy = { trusted: true, allow: [] };
/** How long a credential plugin may take to answer. */
const PLUGIN_TIMEOUT_MS = 10_000;
/** What a credential plugin may write before podlab ends it. */
const PLUGIN_MAX_BYTES = 1024 * 1024;

interface ExecConfig {
  command?: string;
  env?: Array<{ name?: string; value?: string }>;
}

function execOf(user: User): ExecConfig | undefined {
  const provider = user.authProvider as { config?: { exec?: ExecConfig } } | undefined;
  return (user.exec as ExecConfig | undefined) ?? provider?.config?.exec;
}

/** An executable's real path: a bare name looked up on podlab's PATH (not one the kubeconfig sets). */
function resolveCommand(command: string, path = process.env.PATH ?? ''): string | undefined {
  const candidates = command.includes('/') ? [resolve(command)] : path.split(delimiter).map((d) => join(d, command));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return realpathSync(c);
    } catch {
      // not this one
    }
  }
  return undefined;
}

/**
 * Refuses (UsageError) a plugin the policy does not allow, before anything runs; pins an allowed one to its
 * resolved path, so that the kubeconfig's own `env: PATH` cannot swap in another program of the same name.
 */
export function enforcePluginPolicy(kc: KubeConfig, policy: PluginPolicy, where: string): void {
  if (policy.trusted) return;
  const user = kc.getCurrentUser();
  if (!user) return;
  const provider = user.authProvider as { name?: string; config?: Record<string, unknown> } | undefined;
  const cmdPath = provider?.config?.['cmd-path'];
  if (typeof cmdPath === 'string' && cmdPath)
    throw new UsageError(
      `${where}: user "${user.name}" runs \`${cmdPath}\` through the ${provider?.name} auth provider's cmd-path, which podlab never runs from an attendee's kubeconfig: give a token or an exec plugin instead`,
    );
  const exec = execOf(user);
  if (!exec) return;
  const command = exec.command ?? '';
  const real = resolveCommand(command);
  const allowed = policy.allow.some((name) => {
    const mine = resolveCommand(name);
    return mine !== undefined && mine === real;
  });
  if (!allowed)
    throw new UsageError(
      `${where}: user "${user.name}" runs the credential plugin \`${command}\`; podlab runs plugins from attendees' kubeconfigs only when allowed by name: --allow-exec ${command}${real ? '' : ` (not found${command.includes('/') ? '' : " on podlab's PATH"})`}`,
    );
  const loader = (exec.env ?? []).find((e) => /^(LD_|DYLD_)|^NODE_OPTIONS$/.test(e.name ?? ''));
  if (loader)
    throw new UsageError(
      `${where}: user "${user.name}" sets ${loader.name} for its credential plugin, which would load other code into it: remove it`,
    );
  exec.command = real!;
}

/** Every exec plugin this kubeconfig starts ends within PLUGIN_TIMEOUT_MS and writes at most PLUGIN_MAX_BYTES. */
export function boundPlugins(kc: KubeConfig): void {
  const authenticators = (kc as unknown as { authenticators?: Array<{ execFn?: unknown }> }).authenticators ?? [];
  for (const a of authenticators) if (typeof a.execFn === 'function') a.execFn = boundedSpawn;
}

/** Process groups of the plugins running now: podlab ends them when it exits, however early. */
const running = new Set<number>();
const killGroup = (pgid: number) => {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
};
process.on('exit', () => running.forEach(killGroup));

function boundedSpawn(command: string, args: string[] | undefined, opts: SpawnOptions): ChildProcess {
  // Its own process group, so that what the plugin started ends with it.
  const child = spawn(command, args ?? [], { ...opts, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pgid = child.pid;
  if (pgid) running.add(pgid);
  let bytes = 0;
  const stop = (why: string) => {
    child.stderr?.emit('data', `podlab ended the credential plugin ${command}: ${why}`);
    if (pgid) killGroup(pgid);
  };
  const timer = setTimeout(() => stop(`no answer within ${PLUGIN_TIMEOUT_MS / 1000}s`), PLUGIN_TIMEOUT_MS);
  child.stdout?.on('data', (d: Buffer | string) => {
    bytes += d.length;
    if (bytes > PLUGIN_MAX_BYTES) stop(`it wrote more than ${PLUGIN_MAX_BYTES / 1024 / 1024} MiB`);
  });
  const done = () => {
    clearTimeout(timer);
    if (pgid) killGroup(pgid); // what it left in the background, too
    if (pgid) running.delete(pgid);
  };
  child.on('close', done);
  child.on('error', done);
  return child;
}
