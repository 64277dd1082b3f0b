import type { KernelState } from '../state/types.js';
import { VPID_DIV, type Vps } from './types.js';

/**
 * Number <-> vpid inside one VPS (seed 004 kernel/pid.c). These are the VPS-level conversions; the
 * caller-level rules ("host callers see global numbers", visibility) are in view.ts.
 */

/** seed 004 `__is_virtual_pid`: the VPID bit is set. */
export const isVirtualPid = (n: number): boolean => (n & VPID_DIV) !== 0;

/**
 * The VPS whose tasks use global number `n` as pid, pgid or sid (0 = the host), or null when no
 * task uses it. Numbers never cross a VPS boundary (a VPS's sessions start at its init or at a
 * `vps_enter` child, and setpgid stays inside a session), so the first user found decides.
 * The task and pgrp indexes answer in O(1); only a session whose leader and pgrp are both gone
 * needs the scan.
 */
export function numberOwner(s: KernelState, n: number): number | null {
  const t = s.tasks.get(n);
  if (t) return t.vps;
  const members = s.pgrps.get(n);
  if (members) for (const pid of members) return s.tasks.get(pid)?.vps ?? null;
  if ((s.numUse.get(n) ?? 0) === 0) return null;
  for (const u of s.tasks.values()) if (u.sid === n) return u.vps;
  return null;
}

/**
 * The vpid linear mode gives global number `n` of `vps` (seed 004: "vpid == 1 -> init, else
 * pid | VPID_DIV"); also what `switch_to_sparse_mapping` copies into the hash (`virt_pid(t)`).
 */
export const linearVpid = (vps: Vps, n: number): number => (n === vps.init ? 1 : n + VPID_DIV);

/**
 * seed 004 `__pid_type_to_vpid` for a task of `vps`: the vpid of global number `n`, or null when
 * `n` has no mapping in this VPS (not used by its tasks).
 */
export function vpidOf(s: KernelState, vps: Vps, n: number): number | null {
  if (vps.mode === 'sparse') return vps.pidToVpid.get(n) ?? null;
  return numberOwner(s, n) === vps.id ? linearVpid(vps, n) : null;
}

/**
 * seed 004 `__vpid_to_pid` for virtual pid `vpid` (bit 10 set, or 1) inside `vps`: linear mode
 * 1 -> the init's pid, otherwise vpid - VPID_DIV; sparse mode the hash; null when unmapped.
 */
export function vpidToPid(vps: Vps, vpid: number): number | null {
  if (vps.mode === 'sparse') return vps.vpidToPid.get(vpid) ?? null;
  return vpid === 1 ? vps.init : vpid - VPID_DIV;
}
