import type { Handlers } from '../reducer/context.js';
import { err, ok } from '../reducer/outcome.js';
import type { TaskHandler } from '../reducer/context.js';
import { attachPid } from './attach-pid.js';
import { sysMkdir, sysRmdir } from './dir.js';
import { sysRead, sysWrite } from './files.js';
import { sysCpuDown, sysCpuUp, sysMemDown, sysMemUp } from './hotplug.js';
import { sysInject } from './inject.js';
import { sysMount, sysUmount } from './mount.js';
import { resolveCgroup } from './paths.js';
import { sysLoadSubsys, sysRegisterSubsys, sysUnloadSubsys } from './register.js';

/** `attach` (SPEC 7.2), the same as writing `pid` to `tasks`: ENOENT, then ESRCH, then the callbacks. */
const sysAttach: TaskHandler<'attach'> = (ctx, ev, caller) => {
  const found = resolveCgroup(ctx, ev.hierarchy, ev.path);
  if (!found.ok) return err(found.err);
  const r = attachPid(ctx, found.value.h, found.value.cg, caller, ev.pid);
  return r.ok ? ok(0) : err(r.err);
};

type CgroupOp = 'mkdir' | 'rmdir' | 'attach' | 'write' | 'read' | 'register_subsys' | 'mount' | 'umount' | 'load_subsys' | 'unload_subsys' | 'cpu_down' | 'cpu_up' | 'mem_down' | 'mem_up' | 'inject';
export const CGROUP_HANDLERS: Handlers<CgroupOp> = {
  mkdir: sysMkdir,
  rmdir: sysRmdir,
  attach: sysAttach,
  write: sysWrite,
  read: sysRead,
  register_subsys: sysRegisterSubsys,
  mount: sysMount,
  umount: sysUmount,
  load_subsys: sysLoadSubsys,
  unload_subsys: sysUnloadSubsys,
  cpu_down: sysCpuDown,
  cpu_up: sysCpuUp,
  mem_down: sysMemDown,
  mem_up: sysMemUp,
  inject: sysInject,
};
