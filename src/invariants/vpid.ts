import type { KernelState } from '../state/types.js';
import { isVirtualPid } from '../vpid/number.js';
import { VPID_DIV, type Vps } from '../vpid/types.js';
import { mayCross, touchedHolds, vpsNumbers } from './holds.js';
import type { Invariant, Violation } from './types.js';

/** Invariants of the VPID layer (reference: Invariants and postconditions, seed 004). */

const v = (subject: string, message: string): Violation => ({ invariant: 'vpid-bijection', subject, message });

/** Per VPS id (0 = host), the numbers its tasks use as pid, pgid or sid. */
function numbersByVps(s: KernelState): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const t of s.tasks.values()) {
    let set = out.get(t.vps);
    if (!set) out.set(t.vps, (set = new Set()));
    set.add(t.pid).add(t.pgid).add(t.sid);
  }
  return out;
}

/** The init ↔ 1: the init is a task of this VPS, and vpid 1 resolves to it. */
function initViolations(s: KernelState, vps: Vps, subject: string): Violation[] {
  const init = s.tasks.get(vps.init);
  if (!init || init.vps !== vps.id) return [v(subject, `init ${vps.init} is not a task of the VPS`)];
  if (vps.mode === 'sparse' && (vps.vpidToPid.get(1) !== vps.init || vps.pidToVpid.get(vps.init) !== 1)) {
    return [v(subject, `vpid 1 does not map to the init ${vps.init} both ways`)];
  }
  return [];
}

/** Linear mode: no hash entries; vpid = pid + 1024 for every number but the init's, and it carries the bit. */
function linearViolations(vps: Vps, used: Set<number>, subject: string): Violation[] {
  const out: Violation[] = [];
  if (vps.vpidToPid.size > 0 || vps.pidToVpid.size > 0) out.push(v(subject, 'linear VPS has sparse mappings'));
  for (const n of used) {
    if (n !== vps.init && !isVirtualPid(n + VPID_DIV)) out.push(v(subject, `number ${n}: linear vpid ${n + VPID_DIV} lacks the VPID bit`));
  }
  return out;
}

/** Sparse mode: the two hashes are inverse, cover exactly the numbers in use, and every vpid but 1 has the bit. */
function sparseViolations(vps: Vps, used: Set<number>, subject: string): Violation[] {
  const out: Violation[] = [];
  if (vps.vpidToPid.size !== vps.pidToVpid.size) out.push(v(subject, `${vps.vpidToPid.size} vpid entries but ${vps.pidToVpid.size} pid entries`));
  for (const [vpid, pid] of vps.vpidToPid) {
    if (vps.pidToVpid.get(pid) !== vpid) out.push(v(subject, `vpid ${vpid} -> ${pid} has no inverse entry`));
    if (vpid !== 1 && !isVirtualPid(vpid)) out.push(v(subject, `vpid ${vpid} (of ${pid}) lacks the VPID bit`));
    if (!used.has(pid)) out.push(v(subject, `mapping ${vpid} -> ${pid}, a number no task of the VPS uses`));
  }
  for (const n of used) if (!vps.pidToVpid.has(n)) out.push(v(subject, `number ${n} in use has no mapping`));
  return out;
}

/** A number used inside a VPS must not be used by any task outside it, or the conversion is not a function. */
function crossingViolations(byVps: Map<number, Set<number>>): Violation[] {
  const owner = new Map<number, number>();
  const out: Violation[] = [];
  for (const id of [...byVps.keys()].sort((a, b) => a - b)) {
    const used = byVps.get(id) as Set<number>;
    for (const n of used) {
      const other = owner.get(n);
      if (other === undefined) owner.set(n, id);
      else out.push(crossing(n, other, id));
    }
  }
  return out;
}

const who = (id: number): string => (id === 0 ? 'the host' : `VPS ${id}`);
const crossing = (n: number, owner: number, id: number): Violation => v(`number ${n}`, `number ${n} is used both by ${who(owner)} and by ${who(id)}`);

/** The checks of one VPS (`key` its table key) over the numbers its tasks use. */
function vpsViolations(s: KernelState, key: number, vps: Vps, used: Set<number>, out: Violation[]): void {
  const subject = `vps ${key}`;
  if (vps.id !== key) out.push(v(subject, `table key ${key} holds VPS ${vps.id}`));
  for (const x of initViolations(s, vps, subject)) out.push(x);
  for (const x of vps.mode === 'linear' ? linearViolations(vps, used, subject) : sparseViolations(vps, used, subject)) out.push(x);
}

const missingVps = (id: number): Violation => v(`vps ${id}`, `tasks belong to VPS ${id}, which does not exist`);

/**
 * `vpid-bijection` (reference: Invariants and postconditions): in each VPS, vpid ↔ global number is a bijection over the numbers
 * its tasks use; the init ↔ 1; linear mode: vpid = pid + 1024 for every task but the init; every
 * vpid but 1 has bit 10 set; sparse mappings exist exactly for numbers in use. Also: every task's
 * VPS exists, and no number is shared across a VPS boundary.
 */
const vpidBijection: Invariant = {
  id: 'vpid-bijection',
  description: 'in each VPS, vpid <-> global number is a bijection over the numbers its tasks use; the init <-> 1; linear: vpid = pid + 1024 but for the init; every vpid but 1 has bit 10 set; sparse mappings exist exactly for numbers in use',
  check(s) {
    const byVps = numbersByVps(s);
    const out: Violation[] = [];
    for (const [key, vps] of s.vpses) vpsViolations(s, key, vps, byVps.get(vps.id) ?? new Set<number>(), out);
    for (const id of byVps.keys()) if (id !== 0 && !s.vpses.has(id)) out.push(missingVps(id));
    out.push(...crossingViolations(byVps));
    return out;
  },
  /**
   * The touched VPSes (every check of `check` for them, over the numbers their tasks use,
   * `vpsNumbers`) and the touched numbers (which VPSes use them: listed by the pass over the tasks,
   * `touchedHolds`, only when one may be used by two, `mayCross`).
   */
  checkTouched(s, _v, touched) {
    const out: Violation[] = [];
    const ids = touched.vpses;
    const nums = touched.numbers;
    for (const id of ids) {
      const vps = s.vpses.get(id);
      // The host (never named by the recording) has no index entry: counted over the tasks.
      const u = id === 0 ? usedBy(s, 0) : vpsNumbers(s, touched, id);
      if (vps) vpsViolations(s, id, vps, vps.id === id ? u : usedBy(s, vps.id), out);
      else if (id !== 0 && u.size > 0) out.push(missingVps(id));
    }
    // Without VPSes (and no task naming one) every task is the host's: nothing to cross.
    if (nums.length === 0 || (s.vpses.size === 0 && ids.length === 0) || !mayCross(s, touched)) return out;
    const { users } = touchedHolds(s, touched);
    nums.forEach((n, j) => {
      const u = [...(users[j] as number[])].sort((a, b) => a - b);
      for (let k = 1; k < u.length; k++) out.push(crossing(n, u[0] as number, u[k] as number));
    });
    return out;
  },
};

/** The numbers the tasks of VPS `id` use. */
function usedBy(s: KernelState, id: number): Set<number> {
  const out = new Set<number>();
  for (const t of s.tasks.values()) if (t.vps === id) out.add(t.pid).add(t.pgid).add(t.sid);
  return out;
}

export const VPID_INVARIANTS: Invariant[] = [vpidBijection];
