import type { Ctx } from '../reducer/context.js';
import { type Failure, failure, type Result, success } from '../reducer/outcome.js';
import type { KernelState } from '../state/types.js';
import { freeVpid } from '../vpid/map.js';
import { VPID_DIV } from '../vpid/types.js';
import { freePidNs } from './pidns.js';

/**
 * The pid bitmap of 2.6.18 `kernel/pid.c` as seed 004 patches it. A number is *in use* while any
 * task (zombies included) holds it as pid, pgid or sid (reference: fork); `state.numUse` counts those
 * holds so that "in use" is O(1) and the bitmap never needs to be materialised.
 */

/** Whether the VPID bit makes `n` unusable as a global number (seed 004 `alloc_pidmap`). */
export const hasVpidBit = (s: KernelState, n: number): boolean => s.config.pidVirt === 'vpid' && (n & VPID_DIV) !== 0;

export const pidInUse = (s: KernelState, n: number): boolean => (s.numUse.get(n) ?? 0) > 0;

/** Takes one hold on number `n` (attach_pid). */
export function getPidNum(ctx: Ctx, n: number): void {
  ctx.record.number(n);
  ctx.s.numUse.set(n, (ctx.s.numUse.get(n) ?? 0) + 1);
}

/**
 * Drops one hold on `n` (detach_pid); when the last hold goes the number is free again and its
 * virtual mapping with it (seed 004 `free_vpid`, called from `free_pidmap`) and its numbers in
 * pid namespaces below the root (6.x `free_pid`).
 */
export function putPidNum(ctx: Ctx, n: number): void {
  ctx.record.number(n);
  const left = (ctx.s.numUse.get(n) ?? 0) - 1;
  if (left > 0) {
    ctx.s.numUse.set(n, left);
    return;
  }
  ctx.s.numUse.delete(n);
  freeVpid(ctx, n);
  freePidNs(ctx.s, n);
}

/**
 * The next candidate at or after `c` that the allocator may hand out: numbers with the VPID bit
 * are skipped by adding VPID_DIV (seed 004), numbers at or past pid_max wrap to RESERVED_PIDS.
 * Returns 0 when the configuration leaves no candidate at all (every wrap lands on the VPID bit).
 */
function nextCandidate(s: KernelState, c: number): number {
  const { pidMax, reservedPids } = s.config;
  for (let wraps = 0; wraps < 2; ) {
    if (hasVpidBit(s, c)) c += VPID_DIV;
    else if (c >= pidMax) {
      c = reservedPids;
      wraps++;
    } else if (c < 1) c = 1;
    else return c;
  }
  return 0;
}

/**
 * `alloc_pidmap` (2.6.18 kernel/pid.c, seed 004): first free number after `last`, wrapping at
 * pid_max to RESERVED_PIDS and skipping VPID-bit numbers; EAGAIN after a full cycle. Sets `last`.
 */
export function allocPidmap(ctx: Ctx): Result<number> {
  const s = ctx.s;
  let c = nextCandidate(s, s.last + 1);
  // Every number below pid_max is visited at most once per cycle, plus the numbers skipped on the way.
  for (let tries = s.config.pidMax + 1; c !== 0 && tries > 0; tries--) {
    if (!pidInUse(s, c)) {
      s.last = c;
      return success(c);
    }
    c = nextCandidate(s, c + 1);
  }
  return failure('EAGAIN', 'pidmap-full', s.config.pidMax);
}

/** reference: fork `fork.pid`: a forced global pid must be a number the allocator could hand out and be free. */
export function checkForcedPid(s: KernelState, pid: number): Failure | null {
  if (pid < 1 || pid >= s.config.pidMax) return failure('EINVAL', 'fork-pid-range', pid, s.config.pidMax);
  if (hasVpidBit(s, pid)) return failure('EINVAL', 'fork-pid-vpid-bit', pid);
  if (pidInUse(s, pid)) return failure('EEXIST', 'fork-pid-in-use', pid);
  return null;
}
