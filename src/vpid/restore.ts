import { cgroupExit } from '../cgroup/hooks.js';
import { copyProcess, type ForkOptions, nodeUp } from '../kernel/fork.js';
import { advanceExitState } from '../kernel/exitstate.js';
import { allocPidmap, getPidNum, putPidNum } from '../kernel/pidmap.js';
import { changePgrp } from '../kernel/tasklist.js';
import type { Ctx, TaskHandler } from '../reducer/context.js';
import { NO_RECORD } from '../reducer/record.js';
import { errOf, type Failure, failure, isFailure, ok, type Outcome, type Result, success } from '../reducer/outcome.js';
import type { Task } from '../state/task.js';
import { copyData } from '../state/copy.js';
import type { KernelState } from '../state/types.js';
import { canAttachRecorded, checkRestorableCgroups, restoreCgroups } from './cgroups.js';
import { allocVpid } from './map.js';
import { type ImageTask, VPID_DIV, type Vps, type VpsImage } from './types.js';
import { checkNewVps, newVps } from './vps.js';

/**
 * `vps_restore {by, vps, image}` (reference: vps_restore): a new VPS whose tasks show, from inside, exactly what
 * the checkpointed ones showed. Verify, then change: the image is checked against the current
 * state first, then every way the restore's phases could still fail; when none can, the restore
 * is built on the live state, else on a copy of the state that replaces the real one only when
 * every step succeeded (seed 001's discipline; a restore is many forks).
 */

/** Restored tasks by vpid. */
type Restored = Map<number, Task>;

/** The checks of reference: vps_restore in order: vps_create's, ENOENT unknown image, then what the image needs. */
function checkRestore(s: KernelState, caller: Task, id: number, name: string): VpsImage | Failure {
  const e = checkNewVps(s, caller, id);
  if (e) return e;
  const image = s.images.get(name);
  if (!image) return failure('ENOENT', 'image-unknown', name);
  if (!image.tasks.some((t) => t.vpid === 1)) return failure('EINVAL', 'image-no-init', name);
  for (const t of image.tasks) {
    if (t.state === 'zombie') continue;
    const c = checkRestorableCgroups(s, t.cgroups);
    if (c) return c;
    if (!nodeUp(s, t.node)) return failure('EINVAL', 'image-node-down', t.node);
  }
  return image;
}

/**
 * reference: vps_restore creation order: parents first, in ascending vpid order — at each step the smallest vpid
 * whose parent already exists (or was outside the VPS). Equal to plain ascending vpid unless pid
 * wrap-around or sparse vpids gave a child a smaller vpid than its parent.
 */
export function creationOrder(image: VpsImage): ImageTask[] {
  const inImage = new Set(image.tasks.map((t) => t.vpid));
  const todo = [...image.tasks].sort((a, b) => a.vpid - b.vpid);
  const done = new Set<number>();
  const out: ImageTask[] = [];
  while (todo.length > 0) {
    const i = todo.findIndex((t) => t.parent === 0 || !inImage.has(t.parent) || done.has(t.parent));
    if (i < 0) break;
    const [next] = todo.splice(i, 1) as [ImageTask];
    done.add(next.vpid);
    out.push(next);
  }
  return out;
}

/** A restore failing somewhere: what the state keeps (reference: Outcomes) is decided by `lastAfterFailedFork`. */
interface Work {
  ctx: Ctx;
  /** `last` as a fork that failed after its pid allocation left it; null when the failure was elsewhere. */
  lastAfterFailedFork: number | null;
}

/** copyProcess, noting where `last` stood if this fork fails after allocating (the 1.4 exception). */
function forkRecorded(w: Work, parent: Task, opts: ForkOptions): Result<Task> {
  const before = w.ctx.s.last;
  const r = copyProcess(w.ctx, parent, opts);
  if (!r.ok && w.ctx.s.last !== before) w.lastAfterFailedFork = w.ctx.s.last;
  return r;
}

/**
 * Phase 1: every task forked with its vpid requested (alloc_vpid goes sparse when the new global
 * pid does not match linearly), from its restored parent or, when its parent was outside the VPS,
 * from the restoring caller as leader of a new session (as vps_create/vps_enter made it). A zombie
 * is made a zombie at once: it leaves its cgroups and keeps its status.
 */
function recreateTasks(w: Work, caller: Task, vps: Vps, image: VpsImage): Result<Restored> {
  const restored: Restored = new Map();
  for (const it of creationOrder(image)) {
    const parent = it.parent === 0 ? caller : restored.get(it.parent);
    if (!parent) return failure('EINVAL', 'image-orphan', it.vpid);
    const r = forkRecorded(w, parent, { vps, vpid: it.vpid, node: it.node, newSession: parent === caller });
    if (!r.ok) return r;
    const t = r.value;
    if (it.state === 'zombie') {
      // A zombie in the image: exit processing has nothing left to do but leave the cgroups.
      advanceExitState(t, 'exiting');
      cgroupExit(w.ctx, t);
      advanceExitState(t, 'zombie');
      t.exitStatus = it.exitStatus ? { ...it.exitStatus } : { exited: 0 };
    }
    restored.set(it.vpid, t);
  }
  return success(restored);
}

/**
 * Global numbers for the pgid/sid vpids that no restored task has as its pid (a leader that was
 * reaped): the allocator's next number each, in ascending vpid order, mapped with its vpid and
 * held (added to `held`) until the members take it.
 */
function allocGroupNumbers(ctx: Ctx, vps: Vps, vpids: readonly number[], globalOf: Map<number, number>, held: number[]): Result<void> {
  for (const vpid of vpids) {
    const g = allocPidmap(ctx);
    if (!g.ok) return g;
    getPidNum(ctx, g.value);
    held.push(g.value);
    const a = allocVpid(ctx, vps, g.value, vpid, false);
    if (!a.ok) return a;
    globalOf.set(vpid, g.value);
  }
  return success(undefined);
}

/** Phase 2: pgrps and sessions — every task moves to its recorded pgrp and session. */
function restoreGroups(w: Work, vps: Vps, image: VpsImage, restored: Restored): Result<void> {
  const ctx = w.ctx;
  const globalOf = new Map<number, number>([...restored].map(([v, t]) => [v, t.pid]));
  const groupOnly = [...new Set(image.tasks.flatMap((t) => [t.pgid, t.sid]))].filter((v) => !globalOf.has(v)).sort((a, b) => a - b);
  const held: number[] = [];
  const r = allocGroupNumbers(ctx, vps, groupOnly, globalOf, held);
  if (r.ok) {
    for (const it of image.tasks) {
      const t = restored.get(it.vpid) as Task;
      const pgid = globalOf.get(it.pgid) as number;
      const sid = globalOf.get(it.sid) as number;
      if (t.pgid !== pgid || t.sid !== sid) changePgrp(ctx, t, pgid, sid);
    }
  }
  for (const g of held) putPidNum(ctx, g);
  return r;
}

/** Phase 3: live tasks back into their cgroups, through the cgroup layer's attach (its checks included). */
function restoreMemberships(w: Work, image: VpsImage, restored: Restored): Result<void> {
  for (const it of image.tasks) {
    if (it.state === 'zombie') continue;
    const r = restoreCgroups(w.ctx, restored.get(it.vpid) as Task, it.cgroups);
    if (!r.ok) return r;
  }
  return success(undefined);
}

const pidsOf = (restored: Restored, vpids: readonly number[]): number[] => vpids.map((v) => (restored.get(v) as Task).pid);

/**
 * Phase 4: what a task carries besides its numbers — exec'd flag, dispositions, caught counts,
 * pending signals, unreported stop/continue, stopped state — then the links inside the VPS: child
 * order (the order wait walks) and ptrace links in attach order.
 */
function restoreTaskState(image: VpsImage, restored: Restored): void {
  for (const it of image.tasks) {
    const t = restored.get(it.vpid) as Task;
    t.execd = it.execd;
    t.dispositions = new Map(it.dispositions);
    t.caught = new Map(it.caught);
    t.pending = [...it.pending];
    t.stopReport = it.stopReport;
    t.contReport = it.contReport;
    if (it.state === 'stopped') t.state = 'stopped';
    t.children = pidsOf(restored, it.children);
    t.traced = pidsOf(restored, it.traced);
    t.tracer = it.tracer === 0 ? 0 : (restored.get(it.tracer) as Task).pid;
  }
}

/** Runs the four phases on `w` (a copy of the state); returns the restored init. */
function restoreInto(w: Work, caller: Task, vps: Vps, image: VpsImage): Result<Task> {
  const restored = recreateTasks(w, caller, vps, image);
  if (!restored.ok) return restored;
  const groups = restoreGroups(w, vps, image, restored.value);
  if (!groups.ok) return groups;
  const cg = restoreMemberships(w, image, restored.value);
  if (!cg.ok) return cg;
  restoreTaskState(image, restored.value);
  return success(restored.value.get(1) as Task);
}

/**
 * How many numbers the allocator can surely still hand out: those of `[max(reservedPids, 1),
 * pidMax)` it may give (no VPID bit), which `alloc_pidmap` visits on every full cycle, less every
 * number in use. A lower bound: numbers in use outside that range only make it smaller.
 */
function surelyFreeNumbers(s: KernelState): number {
  const { pidMax, reservedPids, pidVirt } = s.config;
  // Numbers below x without the VPID bit: the lower VPID_DIV of every 2 * VPID_DIV.
  const usableBelow = (x: number): number =>
    pidVirt === 'vpid' ? Math.floor(x / (2 * VPID_DIV)) * VPID_DIV + Math.min(x % (2 * VPID_DIV), VPID_DIV) : x;
  const lo = Math.max(reservedPids, 1);
  return pidMax > lo ? usableBelow(pidMax) - usableBelow(lo) - s.numUse.size : 0;
}

/**
 * Verify, then change (seed 001's discipline): whether the four phases are sure to succeed on
 * `s`, so that the restore can be built on the live state with nothing to undo. Each way a phase
 * can fail is ruled out beforehand; when one cannot be, the restore runs on a copy instead.
 * - fork / can_attach faults: none queued (any consumed fault fails the restore);
 * - phase 1 `EINVAL` (a parent that is not restored first): every vpid once, every parent 0 or in
 *   the image, and the creation order reaches every task;
 * - `alloc_pidmap` `EAGAIN`: enough free numbers for every task and every group-only number;
 * - `alloc_vpid` `EEXIST`: the requested vpids are distinct, and no task of an earlier VPS with
 *   this id is left whose numbers `switch_to_sparse_mapping` would map;
 * - phase 3: the recorded cgroups exist (checkRestore) and every `can_attach` of their
 *   hierarchies accepts now (cpuset: cpus and mems not empty; attaching changes neither).
 */
function restoreCannotFail(ctx: Ctx, caller: Task, id: number, image: VpsImage): boolean {
  const s = ctx.s;
  if (s.injections.some((inj) => inj.point === 'fork' || inj.point === 'can_attach')) return false;
  const vpids = new Set(image.tasks.map((t) => t.vpid));
  if (vpids.size !== image.tasks.length) return false;
  if (image.tasks.some((t) => t.parent !== 0 && !vpids.has(t.parent))) return false;
  if (creationOrder(image).length !== image.tasks.length) return false;
  for (const t of s.tasks.values()) if (t.vps === id) return false;
  const groupOnly = new Set(image.tasks.flatMap((t) => [t.pgid, t.sid]).filter((v) => !vpids.has(v)));
  if (surelyFreeNumbers(s) < image.tasks.length + groupOnly.size) return false;
  for (const it of image.tasks) {
    if (it.state !== 'zombie' && !canAttachRecorded(ctx, caller, it.cgroups)) return false;
  }
  return true;
}

/** The restore on a copy of the state that replaces the real one only when every phase succeeded. */
function restoreOnCopy(ctx: Ctx, caller: Task, id: number, image: VpsImage): Outcome {
  const copy = copyData(ctx.s, new Map()) as KernelState;
  // Nobody listens to changes made to the copy: vps_restore reports itself as a wholesale change.
  const w: Work = { ctx: { s: copy, v: ctx.v, calls: ctx.calls ? [] : null, released: [], record: NO_RECORD }, lastAfterFailedFork: null };
  const vps = newVps(id);
  copy.vpses.set(vps.id, vps);
  const r = restoreInto(w, copy.tasks.get(caller.pid) as Task, vps, image);
  if (ctx.calls && w.ctx.calls) ctx.calls.push(...w.ctx.calls);
  if (!r.ok) {
    ctx.s.injections = copy.injections;
    if (w.lastAfterFailedFork !== null) ctx.s.last = w.lastAfterFailedFork;
    return errOf(r);
  }
  // Nothing may fail below here.
  ctx.record.wholesale();
  Object.assign(ctx.s, copy);
  ctx.released.push(...w.ctx.released);
  return ok(r.value.pid);
}

/** The restore on the live state, once `restoreCannotFail` said it cannot fail. */
function restoreLive(ctx: Ctx, caller: Task, id: number, image: VpsImage): Outcome {
  // Nothing may fail below here (`restoreCannotFail` said so).
  ctx.record.wholesale();
  const vps = newVps(id);
  ctx.s.vpses.set(vps.id, vps);
  const r = restoreInto({ ctx, lastAfterFailedFork: null }, caller, vps, image);
  if (!r.ok) throw new Error(`internal: vps_restore failed (${r.err}) after its checks said it cannot`);
  return ok(r.value.pid);
}

/**
 * `vps_restore`: returns the restored init's global pid. On failure the state is the one before,
 * except what reference: Outcomes lets a failed fork leave (the allocator's `last` at a pid it allocated) and
 * consumed injections; the VPS, sparse or not, does not exist.
 */
export const sysVpsRestore: TaskHandler<'vps_restore'> = (ctx, ev, caller) => {
  const image = checkRestore(ctx.s, caller, ev.vps, ev.image);
  if (isFailure(image)) return errOf(image);
  return restoreCannotFail(ctx, caller, ev.vps, image) ? restoreLive(ctx, caller, ev.vps, image) : restoreOnCopy(ctx, caller, ev.vps, image);
};
