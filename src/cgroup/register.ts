import type { Ctx, TaskHandler } from '../reducer/context.js';
import { err, errOf, failure, ok, type Outcome, type Result, success } from '../reducer/outcome.js';
import { invokeCreate, invokeDestroy, tracePopulate } from './callbacks.js';
import { rehashCssSets } from './cssset.js';
import { SUBSYSTEMS } from './subsystems/index.js';
import type { Hierarchy, SubsysSlot } from './types.js';
import { findSlot, registeredSlots, rootOf, sortForCalls } from './world.js';

/** 2.6.33 MAX_CGROUP_TYPE_NAMELEN. */
const MAX_CGROUP_TYPE_NAMELEN = 32;

/** Puts `slot` into the world with its top css, binds it to `h` and rehashes every css_set. */
function installSubsys(ctx: Ctx, slot: SubsysSlot, h: Hierarchy, top: unknown): void {
  ctx.record.wholesale();
  const w = ctx.s.cg;
  w.slots[slot.id] = slot;
  rootOf(h).subsys.set(slot.name, top);
  h.subsystems = sortForCalls(ctx.v, w, [...h.subsystems, slot.name]);
  rehashCssSets(w);
}

/**
 * seed 001 `container_register_subsys` (containers-2006, reference: register_subsys): a container besides the top →
 * EBUSY; every slot taken → ENOSPC; registered → EEXIST; no such plugin → ENOENT. `create` runs
 * on the top container (a failure unregisters it), then `populate`.
 */
export function containerRegisterSubsys(ctx: Ctx, name: string): Result<void> {
  const w = ctx.s.cg;
  const h = w.hierarchies.get(ctx.v.singleHierarchyName) as Hierarchy;
  if (h.cgroups.size > 1) return failure('EBUSY', 'register-after-mkdir', h.cgroups.size - 1);
  const count = registeredSlots(w).length;
  if (count >= ctx.s.config.subsysSlots) return failure('ENOSPC', 'subsys-slots-full', ctx.s.config.subsysSlots);
  if (findSlot(w, name)) return failure('EEXIST', 'subsys-registered', name);
  if (!SUBSYSTEMS.has(name)) return failure('ENOENT', 'subsys-no-plugin', name);
  const created = invokeCreate(ctx, name, h, rootOf(h));
  if (!created.ok) return created;
  // Nothing may fail below here.
  installSubsys(ctx, { name, id: count, builtin: false, hierarchy: h.name }, h, created.value);
  tracePopulate(ctx, [name]);
  return success(undefined);
}

/**
 * seed 003 `cgroup_load_subsys` (cgroups-2009, reference: mount): a bad name, or a subsystem without
 * create/destroy → EINVAL; fork/exit callbacks → EINVAL; a builtin → 0, nothing changes; loaded →
 * EEXIST; no such plugin → ENOENT; the first free slot after the builtins, else EBUSY; `create` on
 * the dummy top (a failure frees the slot); every css_set gains the css and is rehashed.
 */
export function cgroupLoadSubsys(ctx: Ctx, ev: { name: string; fork?: boolean; exit?: boolean }): Result<void> {
  const w = ctx.s.cg;
  const plugin = SUBSYSTEMS.get(ev.name);
  const len = Buffer.byteLength(ev.name, 'utf8');
  if (len === 0 || len > MAX_CGROUP_TYPE_NAMELEN) return failure('EINVAL', 'subsys-bad-name', ev.name);
  if (plugin && (!plugin.create || !plugin.destroy)) return failure('EINVAL', 'subsys-not-modular', ev.name);
  if (ev.fork || ev.exit || plugin?.fork || plugin?.exit) return failure('EINVAL', 'subsys-fork-exit', ev.name);
  const slot = findSlot(w, ev.name);
  if (slot?.builtin) return success(undefined);
  if (slot) return failure('EEXIST', 'subsys-loaded', ev.name);
  if (!plugin) return failure('ENOENT', 'subsys-no-plugin', ev.name);
  const builtins = ctx.s.config.builtinSubsystems.length;
  let id = builtins;
  while (id < ctx.s.config.subsysSlots && w.slots[id] !== null) id++;
  if (id >= ctx.s.config.subsysSlots) return failure('EBUSY', 'subsys-no-slot', ctx.s.config.subsysSlots);
  const created = invokeCreate(ctx, ev.name, w.dummy, rootOf(w.dummy));
  if (!created.ok) return created;
  // Nothing may fail below here.
  installSubsys(ctx, { name: ev.name, id, builtin: false, hierarchy: null }, w.dummy, created.value);
  return success(undefined);
}

/**
 * `cgroup_unload_subsys` (seed 003 patch 3, reference: mount): not loaded or builtin → EINVAL; bound to a
 * mounted hierarchy → EBUSY. Every css_set loses the css (rehashed), `destroy` on the dummy top,
 * the slot is freed.
 */
export function cgroupUnloadSubsys(ctx: Ctx, name: string): Result<void> {
  const w = ctx.s.cg;
  const slot = findSlot(w, name);
  if (!slot) return failure('EINVAL', 'subsys-not-loaded', name);
  if (slot.builtin) return failure('EINVAL', 'subsys-builtin', name);
  if (slot.hierarchy !== null) return failure('EBUSY', 'subsys-bound', name, slot.hierarchy);
  // Nothing may fail below here.
  ctx.record.wholesale();
  w.slots[slot.id] = null;
  w.dummy.subsystems = w.dummy.subsystems.filter((n) => n !== slot.name);
  rehashCssSets(w);
  invokeDestroy(ctx, slot.name, w.dummy, rootOf(w.dummy));
  rootOf(w.dummy).subsys.delete(slot.name);
  return success(undefined);
}

const outcome = (r: Result<void>): Outcome => (r.ok ? ok(0) : errOf(r));
const unsupported = (ctx: Ctx, op: string): Outcome => err('ENOSYS', 'registration-other', op, ctx.v.name);

/** `register_subsys` (reference: register_subsys): ENOSYS where the version registers modularly. */
export const sysRegisterSubsys: TaskHandler<'register_subsys'> = (ctx, ev) =>
  ctx.v.registration === 'register' ? outcome(containerRegisterSubsys(ctx, ev.name)) : unsupported(ctx, 'register_subsys');
/** `load_subsys` (reference: mount): ENOSYS where the version only has register_subsys. */
export const sysLoadSubsys: TaskHandler<'load_subsys'> = (ctx, ev) =>
  ctx.v.registration === 'modular' ? outcome(cgroupLoadSubsys(ctx, ev)) : unsupported(ctx, 'load_subsys');
/** `unload_subsys` (reference: mount). */
export const sysUnloadSubsys: TaskHandler<'unload_subsys'> = (ctx, ev) =>
  ctx.v.registration === 'modular' ? outcome(cgroupUnloadSubsys(ctx, ev.name)) : unsupported(ctx, 'unload_subsys');
