// Exit codes (docs/authoring.md): 0 all passed, 1 a check failed, 2 bad input or usage, 3 environment.
export const EXIT = { ok: 0, failed: 1, usage: 2, environment: 3 } as const;
