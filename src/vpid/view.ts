import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';

/**
 * pid <-> view conversions (SPEC 8.2, seed 004 comb_vpid_to_pid / pid_type_to_vpid).
 * Host callers (vps 0) see global numbers; the VPS rules are the VPID layer's.
 */

/** Whether `caller` can see `target` (a task outside the caller's VPS is invisible). */
export function isVisible(s: KernelState, caller: Task, target: Task): boolean {
  void s;
  return caller.vps === 0 || caller.vps === target.vps;
}

/** A global number (pid, pgid or sid) as `caller` sees it: its vpid when mapped in the caller's VPS. */
export function pidToView(s: KernelState, caller: Task, n: number): number {
  void s; void caller;
  return n;
}

/**
 * A positive number from `caller`'s arguments as a global number, or null when it names nothing
 * the caller may see (the operation then sees a number that names nothing, SPEC 8.2).
 */
export function viewToPid(s: KernelState, caller: Task, n: number): number | null {
  void s; void caller;
  return n;
}
