import { Parser } from 'tap-parser';

/** Parses TAP text with tap's own parser and resolves with its final results. */
export async function parseTap(text: string): Promise<Parser['results']> {
  const p = new Parser();
  const done = new Promise<Parser['results']>((resolve) => p.on('complete', resolve));
  p.end(text);
  return done;
}
