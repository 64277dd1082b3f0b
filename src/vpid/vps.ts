import { copyProcess } from '../kernel/fork.js';
import type { TaskHandler } from '../reducer/context.js';
import { errOf, type Failure, failure, isFailure, ok } from '../reducer/outcome.js';
import { isAlive, type Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import type { Vps } from './types.js';

/**
 * VPS lifecycle (reference: vps_create, the `vps_info_t` interface seed 004 assumes: an id, an init task,
 * linear or sparse). A VPS exists in `state.vpses` only once its init exists.
 */

/** A fresh VPS in linear mode with no init yet (alloc_vpid records the init when it is created). */
export function newVps(id: number): Vps {
  return { id, init: 0, mode: 'linear', vpidToPid: new Map(), pidToVpid: new Map() };
}

/** pidVirt "none" has no VPSs: every vps_* operation is ENOSYS (reference: vps_create). */
export const vpsUnsupported = (s: KernelState): boolean => s.config.pidVirt !== 'vpid';

/** The checks vps_create and vps_restore share, in reference: vps_create order: EPERM inside a VPS, EINVAL, EEXIST. */
export function checkNewVps(s: KernelState, caller: Task, id: number): Failure | null {
  if (vpsUnsupported(s)) return failure('ENOSYS', 'vps-unsupported');
  if (caller.vps !== 0) return failure('EPERM', 'vps-caller-inside', caller.pid, caller.vps);
  if (!Number.isSafeInteger(id) || id <= 0) return failure('EINVAL', 'vps-bad-id', id);
  if (s.vpses.has(id)) return failure('EEXIST', 'vps-exists', id);
  return null;
}

/**
 * `vps_create {by, vps}` (reference: vps_create): forks the caller into a new linear VPS as its init — vpid 1,
 * leader of a new session and pgrp. The VPS is registered only once the fork succeeded; a failed
 * fork leaves nothing but what alloc_pidmap leaves (reference: Outcomes). Returns the init's global pid.
 */
export const sysVpsCreate: TaskHandler<'vps_create'> = (ctx, ev, caller) => {
  const e = checkNewVps(ctx.s, caller, ev.vps);
  if (e) return errOf(e);
  const vps = newVps(ev.vps);
  const r = copyProcess(ctx, caller, { vps, vpid: 1, newSession: true });
  if (!r.ok) return errOf(r);
  // Nothing may fail below here.
  vps.init = r.value.pid;
  ctx.s.vpses.set(vps.id, vps);
  return ok(r.value.pid);
};

/** The checks of vps_enter in reference: vps_create order: EPERM inside a VPS, ENOENT unknown, EINVAL dead init. */
function checkVpsEnter(s: KernelState, caller: Task, id: number): Vps | Failure {
  if (vpsUnsupported(s)) return failure('ENOSYS', 'vps-unsupported');
  if (caller.vps !== 0) return failure('EPERM', 'vps-caller-inside', caller.pid, caller.vps);
  const vps = s.vpses.get(id);
  if (!vps) return failure('ENOENT', 'vps-unknown', id);
  const init = s.tasks.get(vps.init);
  if (!init || !isAlive(init)) return failure('EINVAL', 'vps-init-dead', id, vps.init, init?.parent ?? 0);
  return vps;
}

/**
 * `vps_enter {by, vps}` (reference: vps_create, like `vzctl exec`): forks a child of the host caller into the
 * VPS as leader of a new session; its parent stays outside, so its getppid is a global pid.
 * Returns the child's global pid.
 */
export const sysVpsEnter: TaskHandler<'vps_enter'> = (ctx, ev, caller) => {
  const vps = checkVpsEnter(ctx.s, caller, ev.vps);
  if (isFailure(vps)) return errOf(vps);
  const r = copyProcess(ctx, caller, { vps, newSession: true });
  return r.ok ? ok(r.value.pid) : errOf(r);
};
