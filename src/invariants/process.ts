import type { Invariant } from './types.js';

export const PROCESS_INVARIANTS: Invariant[] = [];
