import { CGROUP_REASONS } from '../cgroup/reasons.js';
import { CLUSTER_REASONS } from '../cluster/reasons.js';
import { KERNEL_REASONS } from '../kernel/reasons.js';
import { PIDNS_REASONS } from '../kernel/pidns-reasons.js';
import { VPID_REASONS } from '../vpid/reasons.js';
import type { ReasonArg, ReasonDef } from './reason-def.js';

export type { ReasonArg } from './reason-def.js';

/** Reasons that belong to no area: the caller's own state, checked before any handler runs, and injected faults. */
export const CALLER_REASONS = {
  'caller-missing': { outcome: 'ESRCH', args: ['caller'], text: (c) => `no task has pid ${c}` },
  'caller-zombie': { outcome: 'ESRCH', args: ['caller'], text: (c) => `caller ${c} is a zombie` },
  'caller-stopped': { outcome: 'blocked', args: ['caller'], text: (c) => `caller ${c} is stopped` },
  injected: { outcome: 'any', args: ['point', 'subsys'], text: (p, s) => `an injected fault at ${p}${s === undefined || s === '' ? '' : ` of ${s}`} (inject)` },
} satisfies Record<string, ReasonDef>;

/**
 * Every reason code: why an `err` or `blocked` outcome happened (issue 15). An outcome carries
 * one (src/reducer/outcome.ts `reasonOf`); it is never part of what `expect` compares, the state
 * hash, or `--log`'s output.
 */
export const REASONS = { ...CALLER_REASONS, ...KERNEL_REASONS, ...CLUSTER_REASONS, ...CGROUP_REASONS, ...VPID_REASONS, ...PIDNS_REASONS } satisfies Record<string, ReasonDef>;
export type ReasonCode = keyof typeof REASONS;

/** The sentence of reason `code` with `args`. */
export function reasonText(code: ReasonCode, args: readonly ReasonArg[]): string {
  return (REASONS[code] as ReasonDef).text(...args);
}
