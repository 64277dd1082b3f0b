import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';

export interface Violation {
  invariant: string;
  message: string;
  /** What is wrong, e.g. `task 42`, `cs:/a`, `vps 101`. */
  subject: string;
}

/**
 * A named invariant (SPEC 9). `before` (optional) captures what the check needs from the state
 * before the event (orphan-stopped compares before and after); `check` runs on the state after it.
 */
export interface Invariant<B = unknown> {
  id: string;
  description: string;
  before?: (s: KernelState, v: SemanticVersion) => B;
  check: (s: KernelState, v: SemanticVersion, before: B | undefined) => Violation[];
}
