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
