import { isAlive, type Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import type { Vps } from '../vpid/types.js';
import { pidNsChildReaper } from './pidns.js';

/** Global init: pid 1, the host's child reaper. */
export const isGlobalInit = (t: Task): boolean => t.pid === 1;

/** The VPS `t` belongs to, if any. */
export const vpsOf = (s: KernelState, t: Task): Vps | undefined => (t.vps === 0 ? undefined : s.vpses.get(t.vps));

/** Whether `t` is the init (vpid 1) of its VPS (seed 004 `vps_info_t.init_task`). */
export const isVpsInit = (s: KernelState, t: Task): boolean => t.vps !== 0 && vpsOf(s, t)?.init === t.pid;

/** The live init of `vps`, if it has one. */
export function liveVpsInit(s: KernelState, vps: Vps): Task | undefined {
  const init = vps.init ? s.tasks.get(vps.init) : undefined;
  return init && isAlive(init) && init.vps === vps.id ? init : undefined;
}

/**
 * Whether a task of `vpsId` other than its init is still in the task table. A VPS init's zombie
 * is reportable only once this is false (reference: exit step 3). A full scan, but only run while a VPS
 * init is a zombie, as `zap_pid_ns_processes` itself walks every task.
 */
export function vpsHasOtherTasks(s: KernelState, vpsId: number, init: number): boolean {
  for (const t of s.tasks.values()) if (t.vps === vpsId && t.pid !== init) return true;
  return false;
}

/**
 * The child reaper for the children of an exiting `t` (`forget_original_parent`'s `reaper`): the
 * init of its VPS when `t` is in one and is not that init, the init of its pid namespace
 * (`find_child_reaper`, src/kernel/pidns.ts), else global init.
 */
export function childReaper(s: KernelState, t: Task): Task {
  const nsReaper = pidNsChildReaper(s, t);
  if (nsReaper) return nsReaper;
  const vps = vpsOf(s, t);
  if (vps && vps.init !== t.pid) {
    const init = liveVpsInit(s, vps);
    if (init) return init;
  }
  return s.tasks.get(1) as Task;
}
