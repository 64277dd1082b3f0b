import type { Ctx, EnvHandler } from '../reducer/context.js';
import { err, ok, type Outcome } from '../reducer/outcome.js';
import type { Task } from '../state/task.js';
import { invokeAttach } from './callbacks.js';
import { afterLeave, moveTask } from './membership.js';
import type { HotplugChange, HotplugOps } from './subsys.js';
import type { Cgroup, Hierarchy } from './types.js';
import { pluginOf } from './plugins.js';
import { hierarchyOfSlot, registeredSlots, subsysEnv, taskCgroupIn } from './world.js';

/**
 * `cgroup_transfer_tasks` as the cpuset hotplug path uses it: every live task of `from`, in
 * ascending pid order, moves to `to` with the subsystems' `attach` callbacks. A kernel-internal
 * move cannot be refused, so no `can_attach` runs (the model keeps cpuset-nonempty true).
 */
function transferTasks(ctx: Ctx, h: Hierarchy, from: Cgroup, to: Cgroup): void {
  const tasks = [...ctx.s.tasks.values()]
    .filter((t: Task) => t.state !== 'zombie' && taskCgroupIn(ctx.s.cg, h, t) === from)
    .sort((a, b) => a.pid - b.pid);
  for (const t of tasks) {
    moveTask(ctx.s.cg, h, t, to);
    invokeAttach(ctx, h.subsystems, h, to, from, t);
  }
  afterLeave(ctx, h, from);
}

/** Tells every registered subsystem (id order) about a hotplug change that already happened. */
function notifySubsystems(ctx: Ctx, change: HotplugChange): void {
  for (const slot of registeredSlots(ctx.s.cg)) {
    const plugin = pluginOf(slot.name);
    if (!plugin.hotplug) continue;
    const h = hierarchyOfSlot(ctx.s.cg, slot);
    const ops: HotplugOps = { moveTasks: (from, to) => transferTasks(ctx, h, from, to) };
    plugin.hotplug(subsysEnv(ctx.s.cg, ctx.s.config, ctx.v, slot.name, h), change, ops);
  }
}

/**
 * `cpu_down`/`cpu_up`/`mem_down`/`mem_up` (reference: write): a number that is not installed, or already
 * in that state → EINVAL; the last online one cannot go down → EBUSY.
 */
function hotplug(ctx: Ctx, change: HotplugChange): Outcome {
  const installed = change.resource === 'cpu' ? ctx.s.config.cpus : ctx.s.config.mems;
  const online = change.resource === 'cpu' ? ctx.s.cg.cpusOnline : ctx.s.cg.memsOnline;
  const n = change.n;
  if (!Number.isInteger(n) || n < 0 || n >= installed) return err('EINVAL', 'hotplug-unknown', change.resource, n, installed);
  if (online.has(n) === (change.direction === 'up')) return err('EINVAL', 'hotplug-already', change.resource, n, change.direction === 'up' ? 'online' : 'offline');
  if (change.direction === 'down' && online.size === 1) return err('EBUSY', 'hotplug-last', change.resource, n);
  // Nothing may fail below here.
  ctx.record.wholesale();
  if (change.direction === 'down') online.delete(n);
  else online.add(n);
  notifySubsystems(ctx, change);
  return ok(0);
}

export const sysCpuDown: EnvHandler<'cpu_down'> = (ctx, ev) => hotplug(ctx, { resource: 'cpu', direction: 'down', n: ev.cpu });
export const sysCpuUp: EnvHandler<'cpu_up'> = (ctx, ev) => hotplug(ctx, { resource: 'cpu', direction: 'up', n: ev.cpu });
export const sysMemDown: EnvHandler<'mem_down'> = (ctx, ev) => hotplug(ctx, { resource: 'mem', direction: 'down', n: ev.mem });
export const sysMemUp: EnvHandler<'mem_up'> = (ctx, ev) => hotplug(ctx, { resource: 'mem', direction: 'up', n: ev.mem });
