import type { TaskHandler } from '../reducer/context.js';
import { errOf, type Failure, failure, isFailure, ok } from '../reducer/outcome.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { taskCgroupPaths } from './cgroups.js';
import { vpidOf } from './number.js';
import type { ImageTask, Vps, VpsImage } from './types.js';
import { vpsUnsupported } from './vps.js';

/**
 * `vps_checkpoint {by, vps, image}` (reference: vps_restore, OpenVZ's checkpointing that seed 004's sparse
 * mapping exists for): everything a task of the VPS shows from inside, with numbers as vpids.
 */

/** The tasks of `vps`, zombies included, ascending global pid. */
export function vpsTasks(s: KernelState, vpsId: number): Task[] {
  const out: Task[] = [];
  for (const t of s.tasks.values()) if (t.vps === vpsId) out.push(t);
  return out.sort((a, b) => a.pid - b.pid);
}

/** The vpid of a number the VPS's tasks use; 0 for a number outside the VPS (a parent or tracer on the host). */
function vpidOrZero(s: KernelState, vps: Vps, n: number): number {
  const t = s.tasks.get(n);
  if (t && t.vps !== vps.id) return 0;
  return vpidOf(s, vps, n) ?? 0;
}

/** Numbers of tasks in `pids` that belong to the VPS, as vpids, keeping their order. */
function vpidList(s: KernelState, vps: Vps, pids: readonly number[]): number[] {
  return pids.flatMap((p) => {
    const v = vpidOrZero(s, vps, p);
    return v === 0 ? [] : [v];
  });
}

/** One task as the image records it (reference: vps_restore's list), all numbers as vpids. */
export function imageTask(s: KernelState, vps: Vps, t: Task): ImageTask {
  return {
    vpid: vpidOrZero(s, vps, t.pid),
    parent: vpidOrZero(s, vps, t.parent),
    pgid: vpidOrZero(s, vps, t.pgid),
    sid: vpidOrZero(s, vps, t.sid),
    state: t.state,
    exitStatus: t.exitStatus ? { ...t.exitStatus } : null,
    execd: t.execd,
    dispositions: [...t.dispositions].sort((a, b) => a[0] - b[0]),
    caught: [...t.caught].sort((a, b) => a[0] - b[0]),
    pending: [...t.pending],
    stopReport: t.stopReport,
    contReport: t.contReport,
    tracer: vpidOrZero(s, vps, t.tracer),
    traced: vpidList(s, vps, t.traced),
    children: vpidList(s, vps, t.children),
    node: t.node,
    cgroups: taskCgroupPaths(s, t),
  };
}

/** The image of `vps` under `name`: its tasks in ascending vpid order. */
export function checkpointVps(s: KernelState, vps: Vps, name: string): VpsImage {
  const tasks = vpsTasks(s, vps.id).map((t) => imageTask(s, vps, t));
  return { name, vps: vps.id, tasks: tasks.sort((a, b) => a.vpid - b.vpid) };
}

/** reference: vps_restore order: ENOSYS without vpids, EPERM from inside a VPS, ENOENT unknown VPS, EEXIST taken name. */
function checkCheckpoint(s: KernelState, caller: Task, id: number, image: string): Vps | Failure {
  if (vpsUnsupported(s)) return failure('ENOSYS', 'vps-unsupported');
  if (caller.vps !== 0) return failure('EPERM', 'vps-caller-inside', caller.pid, caller.vps);
  const vps = s.vpses.get(id);
  if (!vps) return failure('ENOENT', 'vps-unknown', id);
  if (s.images.has(image)) return failure('EEXIST', 'image-exists', image);
  return vps;
}

/** `vps_checkpoint {by, vps, image}`: records the image; the VPS keeps running. Returns 0. */
export const sysVpsCheckpoint: TaskHandler<'vps_checkpoint'> = (ctx, ev, caller) => {
  const vps = checkCheckpoint(ctx.s, caller, ev.vps, ev.image);
  if (isFailure(vps)) return errOf(vps);
  // Nothing may fail below here.
  ctx.s.images.set(ev.image, checkpointVps(ctx.s, vps, ev.image));
  return ok(0);
};
