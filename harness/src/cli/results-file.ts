// Writing results to the file the user named (--output, --report): a full disk or a path that cannot be written
// must not lose a run or a room's grade, so a failed write says what failed and prints the results on stdout.
import { writeFileSync } from 'node:fs';

/** Whether any write of this command fell back to stdout: the command then exits 3 (environment). */
export const fellBack = { any: false };

export function writeResults(file: string, text: string, what: string): void {
  try {
    writeFileSync(file, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    console.error(`podlab: cannot write the ${what} to ${file} (${code}): it follows on stdout instead`);
    fellBack.any = true;
    process.stdout.write(text);
  }
}
