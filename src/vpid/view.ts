import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { isVirtualPid, numberOwner, vpidOf, vpidToPid } from './number.js';
import type { Vps } from './types.js';
import { findPidNs, pidNrNs, taskActivePidNs } from '../kernel/pidns.js';
import { ROOT_PIDNS } from '../kernel/pidns-types.js';

/**
 * pid <-> view conversions (reference: Modelling simplifications, seed 004 comb_vpid_to_pid / pid_type_to_vpid /
 * vpid_to_pid). Host callers (vps 0) see global numbers; a caller inside a VPS sees vpids for the
 * numbers of its VPS and global numbers for everything else ("global pid can be used everywhere").
 * A caller in a pid namespace below the root (reference: pid namespaces; only versions without
 * VPSs have them) sees the numbers of its namespace: `pid_nr_ns` in its `task_active_pid_ns`,
 * 0 for a number outside it, and `find_pid_ns` for its arguments.
 */

/** The caller's pid namespace when it is below the root, else null (the common case: one map lookup). */
function callerPidNs(s: KernelState, caller: Task): number | null {
  if (s.pidns.upids.size === 0) return null;
  const ns = taskActivePidNs(s, caller.pid);
  return ns === ROOT_PIDNS ? null : ns;
}

/** The VPS of a caller inside one (seed 004 `current_vps()`), or undefined for a host caller. */
function callerVps(s: KernelState, caller: Task): Vps | undefined {
  return caller.vps === 0 ? undefined : s.vpses.get(caller.vps);
}

/** Whether `caller` sees every task under its global pid (a host caller in the root pid namespace): no conversion per task. */
export const seesAll = (s: KernelState, caller: Task): boolean => caller.vps === 0 && callerPidNs(s, caller) === null;

/**
 * Whether `caller` can see `target`: host callers see every task; a caller inside a VPS sees
 * only the tasks of its own VPS (seed 004: conversions succeed only for the current VPS).
 */
export function isVisible(s: KernelState, caller: Task, target: Task): boolean {
  const ns = callerPidNs(s, caller);
  if (ns !== null) return pidNrNs(s, target.pid, ns) !== 0;
  return caller.vps === 0 || caller.vps === target.vps;
}

/**
 * A global number (pid, pgid or sid) as `caller` sees it (seed 004 `pid_type_to_vpid`): its
 * vpid when it is mapped in the caller's VPS, else the number itself — "it is allowed: global
 * pid can be used everywhere" (a parent outside the VPS, as `get_task_ppid` shows it).
 */
export function pidToView(s: KernelState, caller: Task, n: number): number {
  const ns = callerPidNs(s, caller);
  if (ns !== null) return n <= 0 ? n : pidNrNs(s, n, ns);
  const vps = callerVps(s, caller);
  if (!vps || n <= 0) return n;
  return vpidOf(s, vps, n) ?? n;
}

/**
 * A positive number from `caller`'s arguments as a global number, or null when it names nothing
 * the caller may see (reference: Modelling simplifications). Inside a VPS, 1 and numbers with the VPID bit are vpids
 * (seed 004 `is_virtual_pid` → `__vpid_to_pid`); anything else is a global pid. Either way the
 * number must be used by a task of the caller's VPS, else it is invisible.
 */
export function viewToPid(s: KernelState, caller: Task, n: number): number | null {
  const ns = callerPidNs(s, caller);
  if (ns !== null) return n <= 0 ? null : findPidNs(s, n, ns);
  if (caller.vps === 0) return n;
  const vps = callerVps(s, caller);
  if (!vps || n <= 0) return null;
  const g = n === 1 || isVirtualPid(n) ? vpidToPid(vps, n) : n;
  if (g === null || g <= 0) return null;
  return numberOwner(s, g) === vps.id ? g : null;
}
