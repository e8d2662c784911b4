// What becomes of each fenced block: run by a shell on some platforms, shown only, or never run unattended.
import type { CodeBlock, Diagnostic } from '../model/types.js';
import { diagnosticAt } from '../model/diagnostic.js';

/** Where a run happens: AKS, podlab's own embedded cluster, or any other cluster. */
export type Platform = 'aks' | 'local' | 'other';
export const PLATFORMS: readonly Platform[] = ['local', 'aks', 'other'];

/** Languages whose blocks a run types into its shell. */
const RUNNABLE_LANGS = new Set(['bash', 'sh', 'shell']);
/** Shell dialects and transcripts podlab cannot run as written: they must say `podlab=skip`. */
const SHELL_LIKE = new Set([
  '',
  'console',
  'shell-session',
  'shellsession',
  'terminal',
  'zsh',
  'fish',
  'ksh',
  'csh',
  'tcsh',
  'powershell',
  'pwsh',
  'ps1',
  'ps',
  'cmd',
  'bat',
  'batch',
]);

export type BlockFate =
  /** typed into the run's shell on these platforms */
  | { kind: 'run'; platforms: Platform[] }
  /** a shell block the author marked as never run unattended (it still renders) */
  | { kind: 'skip' }
  /** what the shell block before it prints on these platforms (`podlab=output`, `podlab=output:local`) */
  | { kind: 'output'; platforms: Platform[] }
  /** not a command: YAML, output, JSON ... */
  | { kind: 'doc' };

/** A block with its fate, or the diagnostic that says why it has none. */
export function blockFate(b: CodeBlock): { fate: BlockFate; diagnostic?: Diagnostic } {
  const mark = b.attrs.podlab;
  const at = (message: string, hint: string): Diagnostic => diagnosticAt(b.pos, message, hint);
  const runnable = RUNNABLE_LANGS.has(b.lang);
  // `podlab=skip podlab=local`: which one the author meant cannot be told, so the block runs nowhere until fixed
  if (b.repeated?.includes('podlab'))
    return {
      fate: { kind: 'skip' },
      diagnostic: at(
        'more than one podlab= mark on one fence',
        'keep one: podlab=skip, or the platforms, comma-separated',
      ),
    };
  if (mark === undefined) {
    if (runnable) return { fate: { kind: 'run', platforms: [...PLATFORMS] } };
    if (SHELL_LIKE.has(b.lang)) {
      return {
        fate: { kind: 'skip' },
        diagnostic: at(
          b.lang ? `a \`${b.lang}\` block cannot be run as written` : 'a fenced block without a language',
          b.lang
            ? 'write it as ```bash to run it, or mark it ```' + `${b.lang} podlab=skip` + ' to show it only'
            : 'name its language: ```bash runs it, ```text shows output',
        ),
      };
    }
    return { fate: { kind: 'doc' } };
  }
  if (mark === 'output' || mark.startsWith('output:')) return outputFate(b, mark, at);
  const words = mark
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  if (words.length === 1 && words[0] === 'skip') return { fate: { kind: 'skip' } };
  const unknown = words.filter((w) => !(PLATFORMS as readonly string[]).includes(w));
  if (unknown.length || !words.length) {
    return {
      fate: { kind: 'skip' },
      diagnostic: at(
        `unknown podlab=${mark}`,
        `write podlab=skip, or the platforms that run it: ${PLATFORMS.join(', ')} (comma-separated)`,
      ),
    };
  }
  if (!runnable) {
    return {
      fate: { kind: 'skip' },
      diagnostic: at(
        `podlab=${mark} on a \`${b.lang || 'plain'}\` block: only bash, sh and shell blocks run`,
        'make it ```bash, or mark it podlab=skip',
      ),
    };
  }
  return { fate: { kind: 'run', platforms: words as Platform[] } };
}

export const runsOn = (fate: BlockFate, platform: Platform): boolean =>
  fate.kind === 'run' && fate.platforms.includes(platform);

/** `podlab=output` (every platform) or `podlab=output:aks` / `output:local,other`, on a block that is not a command. */
function outputFate(
  b: CodeBlock,
  mark: string,
  at: (message: string, hint: string) => Diagnostic,
): { fate: BlockFate; diagnostic?: Diagnostic } {
  const named = mark === 'output' ? [...PLATFORMS] : mark.slice('output:'.length).split(',');
  const unknown = named.filter((w) => !(PLATFORMS as readonly string[]).includes(w));
  const fate: BlockFate = { kind: 'output', platforms: named.filter((w) => !unknown.includes(w)) as Platform[] };
  if (unknown.length || !named.length)
    return {
      fate,
      diagnostic: at(
        `unknown podlab=${mark}`,
        `write podlab=output, or podlab=output: and the platforms it shows: ${PLATFORMS.join(', ')} (comma-separated)`,
      ),
    };
  if (RUNNABLE_LANGS.has(b.lang))
    return {
      fate,
      diagnostic: at(
        `podlab=${mark} on a \`${b.lang}\` block: an output block is not a command`,
        'write it as ```text',
      ),
    };
  return { fate };
}
