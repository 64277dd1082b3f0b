import type { Ctx, TaskHandler } from '../reducer/context.js';
import { err, ok, type Outcome } from '../reducer/outcome.js';
import type { MountEvent } from '../trace/schema-types.js';
import { invokeBind, tracePopulate } from './callbacks.js';
import { rehashCssSets } from './cssset.js';
import type { Hierarchy, SubsysSlot } from './types.js';
import { pluginOf } from './plugins.js';
import { findSlot, newCgroup, registeredSlots, ROOT, rootOf, sortForCalls } from './world.js';

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  new Set(a).size === new Set(b).size && a.every((x) => b.includes(x));

/**
 * The always-mounted `container` hierarchy (reference: register_subsys): mounting it again with the registered set
 * (or none named) is a no-op returning 0, so one trace runs under both versions; anything else EINVAL.
 */
function mountSingle(ctx: Ctx, ev: MountEvent): Outcome {
  const registered = registeredSlots(ctx.s.cg).map((x) => x.name);
  if (ev.hierarchy !== ctx.v.singleHierarchyName) return err('EINVAL', 'single-hierarchy-name', ev.hierarchy, ctx.v.singleHierarchyName);
  if (ev.subsystems === undefined || sameSet(ev.subsystems, registered)) return ok(0);
  return err('EINVAL', 'single-hierarchy-set', ctx.v.singleHierarchyName, registered.join(', '));
}

/** Moves each subsystem's top css between the dummy root and `to` (2.6.33 `rebind_subsystems`), calling `bind`. */
function rebind(ctx: Ctx, slots: SubsysSlot[], from: Hierarchy, to: Hierarchy): void {
  for (const slot of slots) {
    rootOf(to).subsys.set(slot.name, rootOf(from).subsys.get(slot.name));
    rootOf(from).subsys.delete(slot.name);
    slot.hierarchy = to === ctx.s.cg.dummy ? null : to.name;
  }
  from.subsystems = from.subsystems.filter((n) => !slots.some((x) => x.name === n));
  to.subsystems = sortForCalls(ctx.v, ctx.s.cg, [...to.subsystems, ...slots.map((x) => x.name)]);
  for (const name of to.subsystems) if (slots.some((x) => x.name === name)) invokeBind(ctx, name, to, rootOf(to));
}

/**
 * `mount` (2.6.33 `cgroup_get_sb`, reference: mount): an empty name → EINVAL; a subsystem unknown or not
 * loaded → ENOENT (6.x `cgroup1_parse_param`: EINVAL); `noprefix` with a subsystem other than cpuset → EINVAL; the name taken by a
 * different set → EBUSY (the same set → 0, reuse); a subsystem bound elsewhere → EBUSY. Binds
 * the subsystems; every live task is in the new root.
 */
export const sysMount: TaskHandler<'mount'> = (ctx, ev) => {
  if (ctx.v.hierarchies === 'single') return mountSingle(ctx, ev);
  const w = ctx.s.cg;
  if (ev.hierarchy === '') return err('EINVAL', 'mount-empty-name');
  const names = ev.subsystems ?? registeredSlots(w).map((x) => x.name);
  const slots: SubsysSlot[] = [];
  for (const name of names) {
    const slot = findSlot(w, name);
    if (!slot) return ctx.v.unknownSubsys === 'EINVAL' ? err('EINVAL', 'subsys-unknown-name', name) : err('ENOENT', 'subsys-unknown', name);
    if (!slots.includes(slot)) slots.push(slot);
  }
  const noprefixBad = ev.noprefix ? slots.find((x) => !pluginOf(x.name).allowNoprefix) : undefined;
  if (noprefixBad) return err('EINVAL', 'noprefix-subsys', noprefixBad.name);
  const existing = w.hierarchies.get(ev.hierarchy);
  if (existing) return sameSet(existing.subsystems, slots.map((x) => x.name)) ? ok(0) : err('EBUSY', 'hierarchy-other-set', existing.name, existing.subsystems.join(', '));
  const bound = slots.find((x) => x.hierarchy !== null);
  if (bound) return err('EBUSY', 'subsys-bound', bound.name, bound.hierarchy as string);
  // Nothing may fail below here.
  ctx.record.wholesale();
  const h: Hierarchy = { name: ev.hierarchy, subsystems: [], noprefix: ev.noprefix ?? false, releaseAgent: '', cgroups: new Map() };
  const root = newCgroup(ROOT, null, false);
  root.taskCount = [...ctx.s.tasks.values()].filter((t) => t.state !== 'zombie').length;
  h.cgroups.set(ROOT, root);
  w.hierarchies.set(h.name, h);
  rebind(ctx, slots, w.dummy, h);
  rehashCssSets(w, (cgroups) => cgroups.set(h.name, ROOT));
  tracePopulate(ctx, h.subsystems);
  return ok(0);
};

/**
 * `umount` (2.6.33 `cgroup_kill_sb`, reference: mount): unknown → EINVAL; child cgroups → EBUSY. The
 * subsystems return to the dummy root; every css_set leaves the hierarchy.
 */
export const sysUmount: TaskHandler<'umount'> = (ctx, ev) => {
  if (ctx.v.hierarchies === 'single') return err('EINVAL', 'single-hierarchy-umount', ctx.v.singleHierarchyName);
  const w = ctx.s.cg;
  const h = w.hierarchies.get(ev.hierarchy);
  if (!h) return err('EINVAL', 'umount-unknown', ev.hierarchy);
  if (rootOf(h).children.length > 0) return err('EBUSY', 'umount-children', h.name, rootOf(h).children.length);
  // Nothing may fail below here.
  ctx.record.wholesale();
  const slots = h.subsystems.map((n) => findSlot(w, n) as SubsysSlot);
  rebind(ctx, slots, h, w.dummy);
  w.hierarchies.delete(h.name);
  rehashCssSets(w, (cgroups) => cgroups.delete(h.name));
  return ok(0);
};
