import type { Invariant } from './types.js';

export const VPID_INVARIANTS: Invariant[] = [];
