// The TAP consumers available here, each reading a whole TAP stream: Perl's prove (TAP::Parser, the oldest
// consumer, which rejected YAML block scalars), tap-parser from npm, and tap4j (Jenkins' TAP plugin's reader, from
// Maven; scripts/install-test-deps.sh fetches it). Used on a written fixture
// (test/unit/tap-consumers.test.ts) and on a full lab run (test/integration/pod-sandboxing.test.ts).
import { execa } from 'execa';
import { Parser } from 'tap-parser';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface ProveReading {
  errors: string[];
  yaml: Array<Record<string, unknown>>;
  failed: number[];
  passed: number[];
}

const PERL = [
  'my $p = TAP::Parser->new({ tap => join("", <STDIN>) }); my @y; while (my $r = $p->next) { push @y, $r->data if $r->is_yaml }',
  'print JSON::PP->new->canonical->encode({ errors => [$p->parse_errors], yaml => \\@y, failed => [$p->failed],',
  'passed => [$p->passed] });',
].join(' ');

/** prove's reading, or undefined when Perl's TAP::Parser is not installed (scripts/install-test-deps.sh). */
export async function proveReads(tap: string): Promise<ProveReading | undefined> {
  const which = await execa('perl', ['-MTAP::Parser', '-e', '1'], { reject: false });
  if (which.exitCode !== 0) return undefined;
  const dump = await execa('perl', ['-MTAP::Parser', '-MJSON::PP', '-e', PERL], { input: tap });
  const r = JSON.parse(dump.stdout) as ProveReading;
  // Debian's TAP::Parser (perl 5.36) knows TAP versions up to 13 and says so; the YAML is what it must read
  return { ...r, errors: r.errors.filter((e) => !/specified version 14 but we don't know/.test(e)) };
}

/** tap-parser's summary and each assertion's diagnostics, in order. */
export async function tapParserReads(
  tap: string,
): Promise<{ ok: boolean; pass: number; fail: number; diags: unknown[] }> {
  const diags: unknown[] = [];
  const p = new Parser();
  p.on('assert', (a: { diag?: unknown }) => diags.push(a.diag));
  const done = new Promise<{ ok: boolean; pass: number; fail: number }>((resolve) => p.on('complete', resolve));
  p.end(tap);
  return { ...(await done), diags };
}

export interface Tap4jReading {
  error?: string;
  plan: number | null;
  points: Array<{ number: number; status: string; description: string; diagnostic: Record<string, string> }>;
}

const tap4j = fileURLToPath(new URL('../fixtures/tap4j/', import.meta.url));

/** tap4j's Tap13Parser (subtests on): the plan, each top-level point, its diagnostic values as strings. */
export async function tap4jReads(tap: string): Promise<Tap4jReading> {
  const file = join(mkdtempSync(join(tmpdir(), 'tap4j-')), 'classpath');
  await execa('mvn', ['-q', '-B', '-f', `${tap4j}pom.xml`, 'dependency:build-classpath', `-Dmdep.outputFile=${file}`]);
  const classpath = readFileSync(file, 'utf8').trim();
  rmSync(dirname(file), { recursive: true, force: true });
  const r = await execa('java', ['-cp', classpath, `${tap4j}ReadTap.java`], { input: tap, reject: false });
  return JSON.parse(r.stdout) as Tap4jReading;
}
