import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';
import type { Event } from '../trace/schema-types.js';
import type { Outcome } from './outcome.js';

/**
 * What an op promises, independently of how its handler computes it (issue 12): `before` reads
 * what the promise needs from the state before the event (no whole-state copy), `check` judges the
 * outcome and the state after. Replay and fuzz run them; the model never does.
 */
export interface Postcondition<E extends Event = Event, P = unknown> {
  /** Listed by `kreplay invariants`, e.g. `post-wait-nohang`. */
  id: string;
  /** One sentence: what the kernel promises. */
  doc: string;
  before(s: KernelState, v: SemanticVersion, ev: E): P;
  /** null when the promise holds, else a message naming the objects involved. */
  check(pre: P, s: KernelState, v: SemanticVersion, ev: E, outcome: Outcome): string | null;
}
