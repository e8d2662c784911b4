// The evidence a progress record keeps of a step: enough to show why it was seen done, small enough for one append.

/** Evidence kept per record, serialised. */
const MAX_EVIDENCE = 2048;

export function evidenceOf(evidence: unknown): { evidence?: unknown } {
  if (evidence === undefined) return {};
  const text = JSON.stringify(evidence);
  return { evidence: text.length <= MAX_EVIDENCE ? evidence : `${text.slice(0, MAX_EVIDENCE)}…` };
}
