// Nothing podlab reports may carry credentials: bearer tokens, client keys, kubeconfig secrets, passwords.
// Redaction works on values: `redactValue` walks a value and redacts each string (keys too), and the serialiser
// (JSON, YAML, XML, TAP, SSE) escapes afterwards, so a secret's shape can never break the output's syntax.
// `redact` is for one plain string: a line of shell output, a reason, before any escaping.
// There is no redactor of the process: each command makes its own `Redactor`, adds its kubeconfigs' credentials to
// it, and hands it to what prints or serves (cli/command.ts). A new `Redactor()` knows no secret: patterns only.

const R = '[redacted]';

/** Names whose values are credentials: `token`, `password`, `client-key-data`, `api_key`, ... (any case). */
const SECRET_NAME = String.raw`(?:client[-_]?key[-_]?data|(?:id|refresh|access|auth|bearer|api|session)[-_]?token|token|password|passwd|passphrase|secret|api[-_]?key|private[-_]?key)`;
/**
 * Environment-variable names that hold credentials by convention: `FOO_KEY`, `X_SECRET`, `GH_TOKEN`, `DB_PASSWORD`,
 * `PGPASS` (upper case only; a bare `PASS` or `PASSED`, as test output prints them, is not one).
 */
const SECRET_ENV = String.raw`(?:[A-Z0-9_]*(?:_KEY|_SECRET|_TOKEN|PASSWORD|PASSWD|PASSPHRASE)[A-Z0-9_]*|[A-Z0-9_]+PASS)`;
/**
 * A value after `name=` or `name: `: quoted (escapes honoured), or up to white space, a comma, a semicolon or a brace,
 * quotes and backslashes inside included (`pa\"ss`), a closing quote left out.
 */
const VALUE = String.raw`(?:"(?:[^"\\\n]|\\.)*"?|'[^'\n]*'?|[^\s,;}]*[^\s"',;}])`;

const assignment = (name: string, flags: string) =>
  new RegExp(String.raw`(\b${name}["']?[ \t]*[:=][ \t]*)${VALUE}`, flags);
/** `token: "abc"` becomes `token: "[redacted]"`: the quotes stay, so the text keeps its shape. */
const keepQuotes = (match: string, prefix: string) => {
  const value = match.slice(prefix.length);
  const q = value[0] === '"' || value[0] === "'" ? value[0] : '';
  return `${prefix}${q}${R}${q && value.length > 1 && value.endsWith(q) ? q : ''}`;
};

/** `Basic <base64 of user:password>`: only when the payload really decodes to `user:password`, so prose ("Basic networking") stays. */
function basicAuth(match: string, scheme: string, payload: string): string {
  const decoded = Buffer.from(payload, 'base64').toString('latin1');
  return /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(decoded) ? `${scheme} ${R}` : match;
}

const PATTERNS: Array<[RegExp, string | ((...m: string[]) => string)]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[redacted private key]'],
  [
    /\b(authorization["']?[ \t]*[:=][ \t]*["']?(?:(?:Basic|Bearer|Token|Digest|Negotiate)[ \t]+)?)[^\s"',;}]+/gi,
    `$1${R}`,
  ],
  [/\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${R}`],
  [/\b(Basic)\s+([A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])/g, basicAuth],
  // user:password@ in a URL (git, database and registry URLs); the user name stays, it helps reading the log
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:"'<>]*):[^\s/?#@]*@/gi, `$1:${R}@`],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, '[redacted jwt]'],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, '[redacted github token]'],
  [assignment(SECRET_NAME, 'gi'), keepQuotes],
  [assignment(SECRET_ENV, 'g'), keepQuotes],
  // base64 of "-----BEGIN": a PEM block (a client key) pasted as kubeconfig data
  [/\bLS0tLS1CRUdJTi[A-Za-z0-9+/]+=*/g, '[redacted pem]'],
];

/** Object keys whose string values are credentials as a whole (an ExecCredential's `status.token`, a `password` field). */
const SECRET_KEY = new RegExp(String.raw`^(?:${SECRET_NAME}|keyData|.*[-_](?:secret|token|password))$`, 'i');
const SECRET_ENV_KEY = new RegExp(String.raw`^${SECRET_ENV}$`);

/**
 * Redaction with the secrets known by value (those of the kubeconfigs a command uses), held by this redactor alone:
 * two redactors, as two commands in one process hold, never share them. The patterns above apply to every redactor.
 */
export class Redactor {
  /** longest first */
  #known: string[] = [];

  /**
   * Redacts this value wherever it appears from now on: whole, and line by line for multi-line secrets such as
   * a PEM key, so that it is caught when its lines are printed apart, or inside JSON text in a string.
   */
  add(value: string | undefined): this {
    if (!value) return this;
    const lines = value
      .split(/\r?\n/)
      .map((p) => p.trim())
      .filter((p) => p.length >= 12 && !/^-----(BEGIN|END) /.test(p));
    const parts = value.trim().length >= 6 ? [value.trim(), ...lines] : lines;
    this.#known = [...new Set([...this.#known, ...parts])].sort((a, b) => b.length - a.length);
    return this;
  }

  /** One plain string, redacted; escape it for its output format afterwards, never before. */
  redact(text: string): string {
    const literal = this.#known.reduce((t, s) => (t.includes(s) ? t.split(s).join(R) : t), text);
    return PATTERNS.reduce((t, [re, by]) => t.replace(re, by as never), literal);
  }

  /**
   * A deep copy holding what `JSON.stringify` would (toJSON honoured, functions and undefined left out), with every
   * string and key redacted, and the whole value under a key that names a credential. Cycles become "[circular]".
   */
  redactValue<T>(value: T): T {
    return walk(value ?? null, new Set(), (text) => this.redact(text)) as T;
  }
}

function walk(v: unknown, path: Set<object>, redact: (text: string) => string, key?: string): unknown {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function')
    v = (v as { toJSON(k: string): unknown }).toJSON(key ?? '');
  if (typeof v === 'string') return key !== undefined && isSecretKey(key) && v !== '' ? R : redact(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v !== 'object') return undefined; // undefined, a function or a symbol, as JSON leaves them out
  if (path.has(v)) return '[circular]';
  path.add(v);
  try {
    if (Array.isArray(v)) return v.map((x) => walk(x, path, redact) ?? null);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const w = typeof x === 'function' || typeof x === 'symbol' ? undefined : walk(x, path, redact, k);
      if (w !== undefined) out[redact(k)] = w;
    }
    return out;
  } finally {
    path.delete(v);
  }
}

const isSecretKey = (k: string) => SECRET_KEY.test(k) || SECRET_ENV_KEY.test(k);
