// Reads tap's closing `# { total: N, pass: N, fail: N, skip: N }` line from a log and prints
// it again as the plain "N passed, N failed, N skipped" line CI recognises.
import { readFileSync } from 'node:fs';

const lines = readFileSync(process.argv[2], 'utf8').split('\n');
const summary = lines.reverse().find((l) => /^# \{ total: \d+/.test(l));
if (!summary) {
  console.log('tests: 0 passed, 1 failed (tap printed no summary)');
  process.exit(0);
}
const count = (key) => Number(new RegExp(`${key}: (\\d+)`).exec(summary)?.[1] ?? 0);
const failed = count('fail');
console.log(`tests: ${count('pass')} passed, ${failed} failed, ${count('skip') + count('todo')} skipped`);
