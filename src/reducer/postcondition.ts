import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';
import type { Event } from '../trace/schema-types.js';
import type { Outcome } from './outcome.js';

/**
 * What the kernel promises about one operation (issue 12): a function of the state before, the
 * event, the outcome and the state after, stated independently of how the handler computes it.
 */
export interface Postcondition<E extends Event = Event, P = unknown> {
  id: string;            // listed by `kreplay invariants`, e.g. `post-wait-nohang`
  doc: string;           // one sentence: what the kernel promises
  before(s: KernelState, v: SemanticVersion, ev: E): P;   // reads what it needs before the event; no whole-state copy
  check(pre: P, s: KernelState, v: SemanticVersion, ev: E, outcome: Outcome): string | null;  // null = holds
}
