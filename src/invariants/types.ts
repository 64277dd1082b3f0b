import type { Touched } from './touched.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';

export type { Touched } from './touched.js';

export interface Violation {
  invariant: string;
  message: string;
  /** What is wrong, e.g. `task 42`, `cs:/a`, `vps 101`. */
  subject: string;
}

/**
 * A named invariant (reference: Invariants and postconditions). `before` (optional) captures what the check needs from the state
 * before the event (orphan-stopped compares before and after); `check` runs on the state after it.
 *
 * `checkTouched` (optional) is the scoped check of issue 6: only the subjects an event touched and
 * their direct relations (parent, children, tracer, tracees, pgrp, session, css_set, VPS). Each
 * violation it returns is one `check` returns on the same state (same invariant, subject and
 * message); `touched.all` is never set when it is called, nor when the event touched nothing
 * (`untouched`: it changed none of the subjects any scoped check reads). It may read what the state
 * was before the event from `touched` (recorded at the choke points as the model changes it), on
 * the premise that the state before passed every check: a violation that premise hides is one made
 * outside the choke points, which the checker's periodic full check catches. An invariant without
 * one is checked in full after the events its op table names.
 */
export interface Invariant<B = unknown> {
  id: string;
  description: string;
  before?: (s: KernelState, v: SemanticVersion) => B;
  check: (s: KernelState, v: SemanticVersion, before: B | undefined) => Violation[];
  checkTouched?: (s: KernelState, v: SemanticVersion, touched: Touched, before: B | undefined) => Violation[];
  /**
   * `checkTouched` reads what it needs from before the event from `touched` (recorded by the
   * model as the event runs), not from `before`: a checker need not call `before` for it.
   */
  recordsBefore?: true;
}
