import type { TaskHandler } from '../reducer/context.js';
import { err, errOf, ok } from '../reducer/outcome.js';
import { invokeCreate, invokeDestroy, tracePopulate, unwindCreates } from './callbacks.js';
import { hasControlFile } from './files.js';
import { afterLeave } from './membership.js';
import { joinPath, resolveCgroup, resolveHierarchy, splitPath } from './paths.js';
import type { Cgroup } from './types.js';
import { newCgroup } from './world.js';

const insertSorted = (xs: string[], x: string): void => {
  const i = xs.findIndex((y) => y > x);
  xs.splice(i < 0 ? xs.length : i, 0, x);
};

/**
 * `mkdir` (seed 001 `container_create`, 2.6.33 `cgroup_create`): every bound subsystem's
 * `create` in call order; a failure destroys those already created. The new cgroup inherits
 * notify_on_release. It joins the tree only once every create has succeeded. The name of one of
 * the parent's control files (`tasks`, `cpuset.cpus`, ...) is an existing dentry: EEXIST, as
 * 2.6.33 `lookup_create` (fs/namei.c) answers `sys_mkdirat` before `cgroup_mkdir` is reached.
 */
export const sysMkdir: TaskHandler<'mkdir'> = (ctx, ev) => {
  const h = resolveHierarchy(ctx, ev.hierarchy);
  if (!h.ok) return errOf(h);
  const names = splitPath(ev.path, ctx.v.nameMax);
  if (!names.ok) return errOf(names);
  if (names.value.length === 0) return err('EEXIST', 'mkdir-root');
  const parent = h.value.cgroups.get(joinPath(names.value.slice(0, -1)));
  if (!parent) return err('ENOENT', 'no-parent', ev.path);
  const path = joinPath(names.value);
  if (h.value.cgroups.has(path)) return err('EEXIST', 'cgroup-exists', path);
  if (hasControlFile(ctx, h.value, parent, names.value[names.value.length - 1] as string)) return err('EEXIST', 'cgroup-name-is-file', names.value[names.value.length - 1] as string);
  // 6.x cgroup_create: a child inherits CGRP_CPUSET_CLONE_CHILDREN (never set before linux-6).
  const cg = newCgroup(path, parent.path, parent.notifyOnRelease, parent.cloneChildren);
  const created: string[] = [];
  for (const name of h.value.subsystems) {
    const r = invokeCreate(ctx, name, h.value, cg);
    if (!r.ok) {
      unwindCreates(ctx, h.value, cg, created);
      return errOf(r);
    }
    cg.subsys.set(name, r.value);
    created.push(name);
  }
  // Nothing may fail below here.
  ctx.record.cgroup(h.value.name, path, parent.path, true);
  tracePopulate(ctx, h.value.subsystems);
  h.value.cgroups.set(path, cg);
  insertSorted(parent.children, path);
  return ok(0);
};

/**
 * `rmdir` (seed 001 `container_rmdir`, 2.6.33 `cgroup_rmdir`): the root, a cgroup with children or
 * live tasks → EBUSY. Every subsystem's `destroy`, then the parent is checked for release.
 */
export const sysRmdir: TaskHandler<'rmdir'> = (ctx, ev) => {
  const h = resolveHierarchy(ctx, ev.hierarchy);
  if (!h.ok) return errOf(h);
  const names = splitPath(ev.path, ctx.v.nameMax);
  if (!names.ok) return errOf(names);
  if (names.value.length === 0) return err('EBUSY', 'rmdir-root');
  const found = resolveCgroup(ctx, ev.hierarchy, ev.path);
  if (!found.ok) return errOf(found);
  const { cg } = found.value;
  if (cg.children.length > 0 || cg.taskCount > 0) return err('EBUSY', 'cgroup-in-use', cg.path, cg.children.length, cg.taskCount);
  // Nothing may fail below here.
  ctx.record.cgroup(h.value.name, cg.path, cg.parent as string, false);
  for (const name of h.value.subsystems) invokeDestroy(ctx, name, h.value, cg);
  h.value.cgroups.delete(cg.path);
  const parent = h.value.cgroups.get(cg.parent as string) as Cgroup;
  parent.children = parent.children.filter((p) => p !== cg.path);
  afterLeave(ctx, h.value, parent);
  return ok(0);
};
