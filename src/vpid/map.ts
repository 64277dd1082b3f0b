import type { Ctx } from '../reducer/context.js';
import { failure, type Result, success } from '../reducer/outcome.js';
import type { KernelState } from '../state/types.js';
import { isVirtualPid, linearVpid } from './number.js';
import { VPID_DIV, type Vps } from './types.js';

/**
 * seed 004 `alloc_vpid` / `switch_to_sparse_mapping` / `free_vpid` (reference: fork): the vpid a new
 * task of a VPS gets, and the sparse hash that replaces the linear rule once a vpid was asked for
 * that the rule cannot give.
 */

/** seed 004 `add_mapping`: maps vpid <-> pid unless the vpid is already mapped. */
function addMapping(vps: Vps, pid: number, vpid: number): void {
  if (pid <= 0 || vpid <= 0 || vps.vpidToPid.has(vpid)) return;
  vps.vpidToPid.set(vpid, pid);
  vps.pidToVpid.set(pid, vpid);
}

/**
 * seed 004 `switch_to_sparse_mapping(pid, vps)`: a hash entry for the pid, tgid (= pid here),
 * pgid and sid of every task of the VPS — the new `pid` excepted — with the vpid the linear rule
 * gave it; then the VPS is sparse. Tasks are walked in ascending pid order so that the result
 * never depends on insertion history. Kept even when the fork that caused it fails (reference: Outcomes).
 */
export function switchToSparseMapping(s: KernelState, vps: Vps, pid: number): void {
  if (vps.mode === 'sparse') return;
  const pids = [...s.tasks.keys()].sort((a, b) => a - b);
  for (const p of pids) {
    const t = s.tasks.get(p);
    if (!t || t.vps !== vps.id || t.pid === pid) continue;
    for (const n of [t.pid, t.pgid, t.sid]) addMapping(vps, n, linearVpid(vps, n));
  }
  vps.mode = 'sparse';
}

/**
 * The next vpid candidate after `c` in alloc_vpid's linear search: numbers without the VPID bit
 * are skipped by adding VPID_DIV and pid_max wraps to RESERVED_PIDS + VPID_DIV. Unlike the seed
 * the bit rule is applied again after the wrap (reference: fork does the same for pids), so a
 * reservedPids >= 1024 cannot yield a vpid without the bit.
 */
function nextVpidCandidate(s: KernelState, c: number): number {
  const { pidMax, reservedPids } = s.config;
  c++;
  if (!isVirtualPid(c)) c += VPID_DIV;
  if (c >= pidMax) {
    c = reservedPids + VPID_DIV;
    if (!isVirtualPid(c)) c += VPID_DIV;
  }
  return c;
}

/**
 * alloc_vpid's upward search for an unmapped vpid after `start` ("It is weak place. We do linear
 * search."). The seed loops forever when every vpid is mapped; the model gives up after as many
 * candidates as there are numbers below pid_max and answers EAGAIN.
 */
function searchFreeVpid(s: KernelState, vps: Vps, start: number): number | null {
  let c = start;
  for (let tries = s.config.pidMax + 1; tries > 0; tries--) {
    c = nextVpidCandidate(s, c);
    if (!vps.vpidToPid.has(c)) return c;
  }
  return null;
}

/**
 * The linear fast path of alloc_vpid: no request → pid + VPID_DIV; the request pid + VPID_DIV
 * → that; the request 1 → 1 for the VPS init, EEXIST once the VPS has one (reference: fork; the seed
 * trusts its callers here). Undefined when the request needs the sparse mapping.
 */
function allocLinear(vps: Vps, pid: number, requested: number | undefined, isInit: boolean): Result<number> | undefined {
  if (requested === undefined || requested === pid + VPID_DIV) return success(pid + VPID_DIV);
  if (requested !== 1) return undefined;
  if (!isInit) return failure('EEXIST', 'vpid-init-taken', vps.id);
  vps.init = pid;
  return success(1);
}

/**
 * The sparse path of alloc_vpid: candidate = request or pid + VPID_DIV; a mapped candidate is
 * EEXIST when requested, else the upward search, after which `last` = vpid - VPID_DIV "in hope
 * future alloc_pidmap to avoid collisions".
 */
function allocSparse(s: KernelState, vps: Vps, pid: number, requested: number | undefined, isInit: boolean): Result<number> {
  let vpid = requested ?? pid + VPID_DIV;
  if (vps.vpidToPid.has(vpid)) {
    if (requested !== undefined) return failure('EEXIST', 'vpid-taken', vpid, vps.id);
    const found = searchFreeVpid(s, vps, vpid);
    if (found === null) return failure('EAGAIN', 'vpid-space-full', vps.id);
    vpid = found;
    s.last = vpid - VPID_DIV;
  }
  if (vpid === 1) {
    if (!isInit) return failure('EEXIST', 'vpid-init-taken', vps.id);
    vps.init = pid;
  }
  addMapping(vps, pid, vpid);
  return success(vpid);
}

/**
 * alloc_vpid(pid, requested) (seed 004, reference: fork): the vpid of a new task with global `pid` in `vps`.
 * `isInit`: the task being created is the VPS init (which it records as `vps.init`). A linear VPS
 * asked for a vpid the linear rule cannot give switches to sparse first — a switch that stays
 * even if this allocation or the fork then fails. In sparse mode the new mapping is made here: a
 * fork that fails after this call must drop it again with `freeVpid(ctx, pid)`.
 */
export function allocVpid(ctx: Ctx, vps: Vps, pid: number, requested: number | undefined, isInit: boolean): Result<number> {
  if (vps.mode === 'linear') {
    const linear = allocLinear(vps, pid, requested, isInit);
    if (linear) return linear;
    switchToSparseMapping(ctx.s, vps, pid);
  }
  return allocSparse(ctx.s, vps, pid, requested, isInit);
}

/**
 * free_vpid (seed 004 `__free_vpid`, called from `detach_pid` when `free_pidmap` frees the
 * number): global number `n` stopped being in use, so its sparse mapping goes. Linear VPSs have
 * nothing to free. Numbers never cross VPS boundaries, so at most one VPS maps `n`.
 */
export function freeVpid(ctx: Ctx, n: number): void {
  for (const vps of ctx.s.vpses.values()) {
    const vpid = vps.pidToVpid.get(n);
    if (vpid === undefined) continue;
    vps.pidToVpid.delete(n);
    vps.vpidToPid.delete(vpid);
    return;
  }
}
