// Every error class podlab throws, in one place. Kept free of imports so that the CLI can recognise the ones
// with their own exit code (cli/exit.ts) without loading the Kubernetes client.

/** The cluster is missing or unusable: exit code 3. */
export class EnvironmentError extends Error {}

/** The user asked for something that cannot be: exit code 2. */
export class UsageError extends Error {}

/** The API server did not answer within the retry budget: final, so an outer retry does not start over. */
export class ApiUnavailable extends Error {}

/** A watch-based wait whose condition did not hold in time; `last` is the object as last seen. */
export class WaitTimeout extends Error {
  constructor(
    what: string,
    ms: number,
    readonly last?: unknown,
  ) {
    super(`${what}: condition not met within ${Math.round(ms / 1000)}s`);
  }
}

/** A check tried to change the cluster in `podlab check` or `grade`, where checks only read. */
export class ReadOnlyViolation extends Error {}

/** A step's work failed in a way it can describe (a command of its text): the reason and what was seen. */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly detail: { expected?: unknown; actual?: unknown; hint?: string },
  ) {
    super(message);
  }
}

/** A signal ended the command before it could act (while scenarios loaded): exit code 128 + the signal's number. */
export class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
  }
}
