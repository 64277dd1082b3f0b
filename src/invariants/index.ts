import { CGROUP_INVARIANTS } from './cgroup.js';
import { PROCESS_INVARIANTS } from './process.js';
import type { Invariant } from './types.js';
import { VPID_INVARIANTS } from './vpid.js';
import { PIDNS_INVARIANTS } from './pidns.js';

export type { Invariant, Violation } from './types.js';

/** Every invariant of reference: Invariants and postconditions, in the order `kreplay invariants` lists them. */
export const INVARIANTS: readonly Invariant[] = [...PROCESS_INVARIANTS, ...CGROUP_INVARIANTS, ...VPID_INVARIANTS, ...PIDNS_INVARIANTS];
