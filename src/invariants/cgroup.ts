import type { Invariant } from './types.js';

export const CGROUP_INVARIANTS: Invariant[] = [];
