import type { Ctx, TaskHandler } from '../reducer/context.js';
import { err, ok } from '../reducer/outcome.js';
import { invokeCreate, invokeDestroy, tracePopulate } from './callbacks.js';
import { rehashCssSets } from './cssset.js';
import { SUBSYSTEMS } from './subsystems/index.js';
import type { Hierarchy, SubsysSlot } from './types.js';
import { findSlot, registeredSlots, rootOf, sortForCalls } from './world.js';

/** 2.6.33 MAX_CGROUP_TYPE_NAMELEN. */
const MAX_CGROUP_TYPE_NAMELEN = 32;

/** Puts `slot` into the world with its top css, binds it to `h` and rehashes every css_set. */
function installSubsys(ctx: Ctx, slot: SubsysSlot, h: Hierarchy, top: unknown): void {
  const w = ctx.s.cg;
  w.slots[slot.id] = slot;
  rootOf(h).subsys.set(slot.name, top);
  h.subsystems = sortForCalls(ctx.v, w, [...h.subsystems, slot.name]);
  rehashCssSets(w);
}

/**
 * seed 001 `container_register_subsys` (containers-2006, SPEC 7.4): a container besides the top →
 * EBUSY; every slot taken → ENOSPC; registered → EEXIST; no such plugin → ENOENT. `create` runs
 * on the top container (a failure unregisters it), then `populate`.
 */
export const sysRegisterSubsys: TaskHandler<'register_subsys'> = (ctx, ev) => {
  if (ctx.v.registration !== 'register') return err('ENOSYS');
  const w = ctx.s.cg;
  const h = w.hierarchies.get(ctx.v.singleHierarchyName) as Hierarchy;
  if (h.cgroups.size > 1) return err('EBUSY');
  const count = registeredSlots(w).length;
  if (count >= ctx.s.config.subsysSlots) return err('ENOSPC');
  if (findSlot(w, ev.name)) return err('EEXIST');
  if (!SUBSYSTEMS.has(ev.name)) return err('ENOENT');
  const created = invokeCreate(ctx, ev.name, h, rootOf(h));
  if (!created.ok) return err(created.err);
  installSubsys(ctx, { name: ev.name, id: count, builtin: false, hierarchy: h.name }, h, created.value);
  tracePopulate(ctx, [ev.name]);
  return ok(0);
};

/**
 * seed 003 `cgroup_load_subsys` (cgroups-2009, SPEC 7.5): a bad name, or a subsystem without
 * create/destroy → EINVAL; fork/exit callbacks → EINVAL; a builtin → 0, nothing changes; loaded →
 * EEXIST; no such plugin → ENOENT; the first free slot after the builtins, else EBUSY; `create` on
 * the dummy top (a failure frees the slot); every css_set gains the css and is rehashed.
 */
export const sysLoadSubsys: TaskHandler<'load_subsys'> = (ctx, ev) => {
  if (ctx.v.registration !== 'modular') return err('ENOSYS');
  const w = ctx.s.cg;
  const plugin = SUBSYSTEMS.get(ev.name);
  const len = Buffer.byteLength(ev.name, 'utf8');
  if (len === 0 || len > MAX_CGROUP_TYPE_NAMELEN || (plugin && (!plugin.create || !plugin.destroy))) return err('EINVAL');
  if (ev.fork || ev.exit || plugin?.fork || plugin?.exit) return err('EINVAL');
  const slot = findSlot(w, ev.name);
  if (slot?.builtin) return ok(0);
  if (slot) return err('EEXIST');
  if (!plugin) return err('ENOENT');
  const builtins = ctx.s.config.builtinSubsystems.length;
  let id = builtins;
  while (id < ctx.s.config.subsysSlots && w.slots[id] !== null) id++;
  if (id >= ctx.s.config.subsysSlots) return err('EBUSY');
  const created = invokeCreate(ctx, ev.name, w.dummy, rootOf(w.dummy));
  if (!created.ok) return err(created.err);
  installSubsys(ctx, { name: ev.name, id, builtin: false, hierarchy: null }, w.dummy, created.value);
  return ok(0);
};

/**
 * `cgroup_unload_subsys` (seed 003 patch 3, SPEC 7.5): not loaded or builtin → EINVAL; bound to a
 * mounted hierarchy → EBUSY. Every css_set loses the css (rehashed), `destroy` on the dummy top,
 * the slot is freed.
 */
export const sysUnloadSubsys: TaskHandler<'unload_subsys'> = (ctx, ev) => {
  if (ctx.v.registration !== 'modular') return err('ENOSYS');
  const w = ctx.s.cg;
  const slot = findSlot(w, ev.name);
  if (!slot || slot.builtin) return err('EINVAL');
  if (slot.hierarchy !== null) return err('EBUSY');
  w.slots[slot.id] = null;
  w.dummy.subsystems = w.dummy.subsystems.filter((n) => n !== slot.name);
  rehashCssSets(w);
  invokeDestroy(ctx, slot.name, w.dummy, rootOf(w.dummy));
  rootOf(w.dummy).subsys.delete(slot.name);
  return ok(0);
};
