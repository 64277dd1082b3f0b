import type { Ctx } from '../reducer/context.js';
import { type Result, success } from '../reducer/outcome.js';
import type { Vps } from './types.js';

/**
 * alloc_vpid(pid, requested) (seed 004, SPEC 8.3): the vpid of a new task with global `pid` in `vps`.
 * `isInit`: the task being created is the VPS init. May switch the VPS to sparse mode (kept on failure).
 */
export function allocVpid(ctx: Ctx, vps: Vps, pid: number, requested: number | undefined, isInit: boolean): Result<number> {
  void ctx; void vps; void requested;
  return success(isInit ? 1 : pid + 1024);
}

/** free_vpid: called when global number `n` stops being in use by any task. */
export function freeVpid(ctx: Ctx, n: number): void {
  void ctx; void n;
}
