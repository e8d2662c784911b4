// The TAP consumers available here, each reading a whole TAP stream: Perl's prove (TAP::Parser, the oldest
// consumer, which rejected YAML block scalars) and tap-parser from npm. Used on a written fixture
// (test/unit/tap-consumers.test.ts) and on a full lab run (test/integration/pod-sandboxing.test.ts).
import { execa } from 'execa';
import { Parser } from 'tap-parser';

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
