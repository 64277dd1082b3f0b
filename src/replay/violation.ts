import type { Violation } from '../invariants/index.js';

/** A violation found after event `index` (0 = the boot state). */
export interface IndexedViolation extends Violation {
  index: number;
}
