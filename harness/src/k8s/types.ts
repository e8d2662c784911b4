// What the cluster layer hands up: the result of a command run in a pod, and the sandbox RuntimeClass found.

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** exit code of the command in the container (0 on success) */
  code: number;
}

/** The sandbox RuntimeClass the cluster offers, as detected. */
export interface SandboxRuntime {
  /** RuntimeClass metadata.name, e.g. kata-vm-isolation or gvisor */
  name: string;
  handler: string;
  /** the id of its table in profiles/tables.ts (PROFILE_TABLES), e.g. aks-kata or gvisor */
  profile: string;
  nodeSelector?: Record<string, string>;
  overhead?: Record<string, string>;
}
