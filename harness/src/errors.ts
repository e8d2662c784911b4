// The two kinds of error that end podlab with their own exit code (see cli/exit.ts). Kept free of imports so
// that the CLI can recognise them without loading the Kubernetes client.

/** The cluster is missing or unusable: exit code 3. */
export class EnvironmentError extends Error {}
/** The user asked for something that cannot be: exit code 2. */
export class UsageError extends Error {}
