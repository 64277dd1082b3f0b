import { post, runnableCaller, show } from '../kernel/post-util.js';
import type { KernelState } from '../state/types.js';
import type { Task } from '../state/task.js';
import type { Event } from '../trace/schema-types.js';
import { pidToView } from './view.js';

/** Postconditions of the VPS ops (reference: vps_create, seed 004; issue 12). */
type Ev<K extends Event['op']> = Extract<Event, { op: K }>;

interface VpsPre {
  caller: Task | null;
  supported: boolean;
  existed: boolean;
  imageExisted: boolean;
  tasks: number;
}
const vpsPre = (s: KernelState, _v: unknown, ev: { by: number; vps: number; image?: string }): VpsPre => {
  const caller = runnableCaller(s, ev.by) ?? null;
  return { caller, supported: s.config.pidVirt === 'vpid', existed: s.vpses.has(ev.vps), imageExisted: ev.image !== undefined && s.images.has(ev.image), tasks: s.tasks.size };
};
/** The first checks every vps op shares (reference: vps_create, vps_restore): ENOSYS without vpids, then EPERM from inside a VPS. */
function sharedChecks(pre: VpsPre, o: { err?: string }): string | null {
  if (!pre.caller) return null;
  if (!pre.supported) return o.err === 'ENOSYS' ? null : `${show(o)} without pid virtualization (ENOSYS expected)`;
  if (pre.caller.vps !== 0) return o.err === 'EPERM' ? null : `${show(o)} from inside VPS ${pre.caller.vps} (EPERM expected)`;
  return null;
}

/** A new VPS's init or entered task, by the global pid the op returned. */
function newMember(s: KernelState, pre: VpsPre, ret: unknown, vps: number): string | null {
  const t = typeof ret === 'number' ? s.tasks.get(ret) : undefined;
  if (!t) return `returned ${show(ret)}, no task`;
  if (t.vps !== vps) return `task ${t.pid} is in VPS ${t.vps}, not ${vps}`;
  if (t.sid !== t.pid || t.pgid !== t.pid) return `task ${t.pid} leads no new session (pgrp ${t.pgid}, session ${t.sid})`;
  return s.tasks.size === pre.tasks + 1 ? null : `the task table went from ${pre.tasks} to ${s.tasks.size}`;
}

export const VPS_CREATE_POSTCONDITIONS = [
  post<Ev<'vps_create'>, VpsPre>({
    id: 'post-vps-create-result',
    doc: 'vps_create fails with ENOSYS without pid virtualization, EPERM inside a VPS, EEXIST for a VPS id in use; a success returns the global pid of a new task (reference: vps_create)',
    before: vpsPre,
    check(pre, _s, _v, ev, o) {
      if (!pre.caller) return null;
      const shared = sharedChecks(pre, o as { err?: string });
      if (shared !== null || !pre.supported || pre.caller.vps !== 0) return shared;
      if (pre.existed && Number.isSafeInteger(ev.vps) && ev.vps > 0) return 'err' in o && o.err === 'EEXIST' ? null : `${show(o)} for VPS ${ev.vps}, which exists (EEXIST expected)`;
      return null;
    },
  }),
  post<Ev<'vps_create'>, VpsPre>({
    id: 'post-vps-create-init',
    doc: 'after a successful vps_create the VPS exists, its init is the new task, a child of the caller, which sees itself as vpid 1 leading a new session (reference: vps_create)',
    before: vpsPre,
    check(pre, s, _v, ev, o) {
      if (!pre.caller || !('ret' in o)) return null;
      const vps = s.vpses.get(ev.vps);
      if (!vps || vps.init !== o.ret) return `VPS ${ev.vps} has init ${vps?.init}, the op returned ${show(o.ret)}`;
      const bad = newMember(s, pre, o.ret, ev.vps);
      if (bad) return bad;
      const t = s.tasks.get(vps.init) as Task;
      if (t.parent !== pre.caller.pid) return `init ${t.pid} has parent ${t.parent}, not the caller ${pre.caller.pid}`;
      return pidToView(s, t, t.pid) === 1 ? null : `init ${t.pid} sees itself as ${pidToView(s, t, t.pid)}, not 1`;
    },
  }),
];

export const VPS_ENTER_POSTCONDITIONS = [
  post<Ev<'vps_enter'>, VpsPre>({
    id: 'post-vps-enter-result',
    doc: 'vps_enter fails with ENOSYS without pid virtualization, EPERM inside a VPS, ENOENT for an unknown VPS; a success returns the global pid of a new task (reference: vps_create)',
    before: vpsPre,
    check(pre, _s, _v, _ev, o) {
      if (!pre.caller) return null;
      const shared = sharedChecks(pre, o as { err?: string });
      if (shared !== null || !pre.supported || pre.caller.vps !== 0) return shared;
      if (!pre.existed) return 'err' in o && o.err === 'ENOENT' ? null : `${show(o)} for an unknown VPS (ENOENT expected)`;
      return null;
    },
  }),
  post<Ev<'vps_enter'>, VpsPre>({
    id: 'post-vps-enter-child',
    doc: 'after a successful vps_enter the new task is in the VPS, leads a new session, and its parent is the caller outside it (reference: vps_create)',
    before: vpsPre,
    check(pre, s, _v, ev, o) {
      if (!pre.caller || !('ret' in o)) return null;
      const bad = newMember(s, pre, o.ret, ev.vps);
      if (bad) return bad;
      const t = s.tasks.get(o.ret as number) as Task;
      return t.parent === pre.caller.pid ? null : `task ${t.pid} has parent ${t.parent}, not the caller ${pre.caller.pid}`;
    },
  }),
];

export const VPS_CHECKPOINT_POSTCONDITIONS = [
  post<Ev<'vps_checkpoint'>, VpsPre>({
    id: 'post-vps-checkpoint-result',
    doc: 'vps_checkpoint fails with ENOSYS without pid virtualization, EPERM inside a VPS, ENOENT for an unknown VPS, EEXIST for an image name in use, else returns 0 (reference: vps_restore)',
    before: vpsPre,
    check(pre, _s, _v, _ev, o) {
      if (!pre.caller) return null;
      const shared = sharedChecks(pre, o as { err?: string });
      if (shared !== null || !pre.supported || pre.caller.vps !== 0) return shared;
      const want = !pre.existed ? { err: 'ENOENT' } : pre.imageExisted ? { err: 'EEXIST' } : { ret: 0 };
      const got = 'ret' in o ? { ret: o.ret } : o;
      return show(got) === show(want) ? null : `${show(got)}, expected ${show(want)}`;
    },
  }),
  post<Ev<'vps_checkpoint'>, VpsPre>({
    id: 'post-vps-checkpoint-image',
    doc: "after a successful vps_checkpoint the image holds one task per task of the VPS, in ascending vpid order, and the VPS's tasks are unchanged in number (reference: vps_restore)",
    before: vpsPre,
    check(pre, s, _v, ev, o) {
      if (!pre.caller || !('ret' in o)) return null;
      const img = s.images.get(ev.image);
      if (!img || img.vps !== ev.vps) return `no image ${ev.image} of VPS ${ev.vps}`;
      let members = 0;
      for (const t of s.tasks.values()) if (t.vps === ev.vps) members++;
      if (img.tasks.length !== members) return `image of ${img.tasks.length} tasks, the VPS has ${members}`;
      for (let i = 1; i < img.tasks.length; i++) if (img.tasks[i - 1]!.vpid >= img.tasks[i]!.vpid) return 'image tasks not in ascending vpid order';
      return s.tasks.size === pre.tasks ? null : 'checkpoint changed the task table';
    },
  }),
];

export const VPS_RESTORE_POSTCONDITIONS = [
  post<Ev<'vps_restore'>, VpsPre>({
    id: 'post-vps-restore-result',
    doc: 'vps_restore fails with ENOSYS without pid virtualization, EPERM inside a VPS, EEXIST for a VPS id in use, ENOENT for an unknown image; a success returns the restored init (reference: vps_restore)',
    before: vpsPre,
    check(pre, s, _v, ev, o) {
      if (!pre.caller) return null;
      const shared = sharedChecks(pre, o as { err?: string });
      if (shared !== null || !pre.supported || pre.caller.vps !== 0) return shared;
      if ('ret' in o && (pre.existed || !pre.imageExisted)) return `restored as VPS ${ev.vps}, which ${pre.existed ? 'existed' : 'had no image'}`;
      if ('ret' in o && s.vpses.get(ev.vps)?.init !== o.ret) return `returned ${show(o.ret)}, VPS ${ev.vps}'s init is ${s.vpses.get(ev.vps)?.init}`;
      return null;
    },
  }),
  post<Ev<'vps_restore'>, VpsPre>({
    id: 'post-vps-restore-tasks',
    doc: 'after a successful vps_restore the new VPS has one task per task of the image, with the same vpids (reference: vps_restore)',
    before: vpsPre,
    check(pre, s, _v, ev, o) {
      if (!pre.caller || !('ret' in o)) return null;
      const img = s.images.get(ev.image);
      const vps = s.vpses.get(ev.vps);
      if (!img || !vps) return `no VPS ${ev.vps} or image ${ev.image} after restore`;
      const init = s.tasks.get(vps.init);
      if (!init) return `VPS ${ev.vps} has no init`;
      const vpids = [...s.tasks.values()].filter((t) => t.vps === ev.vps).map((t) => pidToView(s, init, t.pid)).sort((a, b) => a - b);
      const want = img.tasks.map((t) => t.vpid).sort((a, b) => a - b);
      return show(vpids) === show(want) ? null : `restored vpids ${show(vpids)}, image ${show(want)}`;
    },
  }),
];
