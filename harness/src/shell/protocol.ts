// What podlab says to the attendee's shell, and how the shell reports back: one control line per block, and a
// status file where failures (ERR) and the shell's exit (EXIT) are recorded with their file and line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A word the shell reads as this exact text, whatever it holds (a TMPDIR with spaces). */
export const shellWord = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * Sourced before the first block: where the status file is, and a record of where the shell exits if a
 * block says `exit`.
 */
export const initScript = (dir: string) =>
  [
    `__podlab_status=${shellWord(join(dir, 'status'))}`,
    `trap 'builtin printf "exit %s %s:0\\n" "$?" "\${BASH_SOURCE[0]-}" >> "$__podlab_status"' EXIT`,
    '',
  ].join('\n');

export interface StatusRecord {
  kind: 'err' | 'exit';
  code: number;
  file: string;
  line: number;
}

export function readStatus(dir: string): StatusRecord[] {
  let text = '';
  try {
    text = readFileSync(join(dir, 'status'), 'utf8');
  } catch {
    /* closed */
  }
  return text.split('\n').flatMap((l) => {
    const m = /^(err|exit) (\d+) (.*):(\d+)$/.exec(l);
    return m ? [{ kind: m[1] as StatusRecord['kind'], code: Number(m[2]), file: m[3]!, line: Number(m[4]) }] : [];
  });
}

/**
 * One line the shell reads from its stdin. The block is sourced (so its state stays in this shell) with
 * stdin from /dev/null (so no command in it can eat the lines that follow). Its first failing command, the
 * way `set -e` counts failures, is recorded and ends the block: the attendee would stop there too.
 */
export function controlLine(file: string, nonce: string): string {
  // Outside the block (back in the line itself) there is nothing to return from: the trap then does nothing.
  const record = 'builtin printf "err %s %s:%s\\n" "$__podlab_rc" "${BASH_SOURCE[0]}" "$LINENO" >> "$__podlab_status"';
  const trap = `__podlab_rc=$?; if [[ -n \${BASH_SOURCE[0]-} ]]; then ${record}; return $__podlab_rc; fi`;
  return (
    [
      'set -E',
      `builtin trap '${trap}' ERR`,
      `builtin source ${shellWord(file)} </dev/null`,
      '__podlab_rc=$?',
      'builtin trap - ERR',
      'set +E',
      `builtin printf '\\n%s done %s\\n' ${nonce} "$__podlab_rc"`,
      `builtin printf '\\n%s done\\n' ${nonce} >&2`,
    ].join('; ') + '\n'
  );
}
