// Exit codes (docs/authoring.md): 0 all passed, 1 a check failed, 2 bad input or usage, 3 environment, 4 the cluster
// cannot hold the room (`room plan`, `room up` without --force), 5 past the command's overall time limit (lint).
import { CommanderError } from 'commander';
import { constants } from 'node:os';
import { EnvironmentError, Interrupted, UsageError } from '../errors.js';
import { describeError } from '../k8s/retry.js';
import type { Redactor } from '../report/redact.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, environment: 3, capacity: 4, timeout: 5 } as const;

/** What a command returns: the exit code it chose, or the error that stopped it (UsageError, EnvironmentError...). */
export type Outcome = number | Error;

/** How podlab ends: its exit code, the one line to print (none for commander's own), and the error behind it. */
export interface Ending {
  code: number;
  message?: string;
  error?: unknown;
  /** the redactor of the command that ended (it knows that command's credentials): the message is printed through it */
  redactor?: Redactor;
}

/** The exit code for an error that ended a command; `message` is the one line to print (none for commander's own). */
export function exitCodeFor(err: unknown): { code: number; message?: string } {
  // commander has already printed its usage error (or the help/version text, exit 0)
  if (err instanceof CommanderError) return { code: err.exitCode === 0 ? EXIT.ok : EXIT.usage };
  if (err instanceof UsageError) return { code: EXIT.usage, message: err.message };
  if (err instanceof Interrupted) return { code: 128 + (constants.signals[err.signal] ?? 0), message: err.message };
  if (err instanceof EnvironmentError) return { code: EXIT.environment, message: err.message };
  // The API server's 403 names the user, verb and resource: the cluster denies podlab something, not a check failing.
  if ((err as { code?: unknown })?.code === 403) {
    return {
      code: EXIT.environment,
      message: `RBAC: ${describeError(err)}. Grant it to the identity podlab runs as (see manifests/nightly/rbac.yaml and \`podlab doctor\`).`,
    };
  }
  return { code: EXIT.failed, message: (err as Error)?.message ?? String(err) };
}
