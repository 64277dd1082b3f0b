import fc from 'fast-check';

/**
 * One abstract choice: small integers that `concretize` turns into an event while replaying,
 * picking targets from the current state. fast-check shrinks choices (toward 0: the first op of
 * the table, the first target, a well-formed variant), so every shrunk trace is still state-aware.
 */
export interface Choice {
  /** Index into the weighted op table (cumulative weights). */
  op: number;
  /** Target selectors, taken modulo the candidate list they pick from. */
  a: number;
  b: number;
  c: number;
  /** < badPercent makes the event deliberately wrong (dead pids, missing paths, bad values...). */
  bad: number;
}

export const SELECTOR_MAX = 0xffff;

export function choiceArb(totalWeight: number): fc.Arbitrary<Choice> {
  return fc.record({
    op: fc.nat(totalWeight - 1),
    a: fc.nat(SELECTOR_MAX),
    b: fc.nat(SELECTOR_MAX),
    c: fc.nat(SELECTOR_MAX),
    bad: fc.nat(99),
  });
}

export function choicesArb(totalWeight: number, maxEvents: number): fc.Arbitrary<Choice[]> {
  return fc.array(choiceArb(totalWeight), { maxLength: maxEvents, size: 'max' });
}
