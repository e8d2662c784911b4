// Nothing podlab reports may carry credentials: bearer tokens, client keys, kubeconfig secrets.
const PATTERNS: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[redacted private key]'],
  [/\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi, '$1 [redacted]'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, '[redacted jwt]'],
  [/((?:client-key-data|client-certificate-data|token|password|id-token|refresh-token|access-token)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1[redacted]'],
  // base64 of "-----BEGIN": a PEM block (a client key) pasted as kubeconfig data
  [/\bLS0tLS1CRUdJTi[A-Za-z0-9+/]+=*/g, '[redacted pem]'],
];

/** Secrets known by value (those of the kubeconfig in use), longest first. */
let known: string[] = [];

/**
 * Redacts this value wherever it appears from now on: whole, and line by line for multi-line secrets such as
 * a PEM key, so that it is caught in JSON (where its newlines are escaped) too.
 */
export function addSecret(value: string | undefined): void {
  if (!value) return;
  const lines = value
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p.length >= 12 && !/^-----(BEGIN|END) /.test(p));
  const parts = value.trim().length >= 6 ? [value.trim(), ...lines] : lines;
  known = [...new Set([...known, ...parts])].sort((a, b) => b.length - a.length);
}

export function redact(text: string): string {
  const literal = known.reduce((t, s) => (t.includes(s) ? t.split(s).join('[redacted]') : t), text);
  return PATTERNS.reduce((t, [re, by]) => t.replace(re, by), literal);
}

/** Deep copy with every string redacted. */
export function redactValue<T>(value: T): T {
  return JSON.parse(redact(JSON.stringify(value ?? null))) as T;
}
