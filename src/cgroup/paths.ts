import type { Ctx } from '../reducer/context.js';
import { failure, type Result, success } from '../reducer/outcome.js';
import type { Cgroup, Hierarchy } from './types.js';
import { ROOT } from './world.js';

/**
 * The hierarchy an event names (reference: mkdir): in the single-hierarchy model it may be omitted;
 * unknown or missing → ENOENT.
 */
export function resolveHierarchy(ctx: Ctx, name: string | undefined): Result<Hierarchy> {
  const wanted = name ?? (ctx.v.hierarchies === 'single' ? ctx.v.singleHierarchyName : undefined);
  const h = wanted === undefined ? undefined : ctx.s.cg.hierarchies.get(wanted);
  return h ? success(h) : failure('ENOENT', 'no-hierarchy', wanted ?? '');
}

/**
 * Splits an absolute cgroup path; a name is 1..`nameMax` bytes (the version's, reference: mkdir;
 * null: any length), no `/`, not `.` or `..`, no NUL (else EINVAL). A C path ends at its first NUL (2.6.33 `getname` → `strncpy_from_user`), so no kernel
 * directory name holds one: a trace that asks for one gets EINVAL, as for any name the kernel
 * cannot have, never a name that differs from what it wrote.
 */
export function splitPath(path: string, nameMax: number | null): Result<string[]> {
  if (!path.startsWith('/')) return failure('EINVAL', 'bad-path', path);
  if (path === ROOT) return success([]);
  const names = path.slice(1).split('/');
  // A UTF-16 unit takes at most 3 UTF-8 bytes, so only long names need their bytes counted.
  const bad = (n: string): boolean => n === '' || n === '.' || n === '..' || n.includes('\0') || (nameMax !== null && n.length * 3 > nameMax && Buffer.byteLength(n, 'utf8') > nameMax);
  return names.some(bad) ? failure('EINVAL', 'bad-path', path) : success(names);
}

export const joinPath = (names: readonly string[]): string => '/' + names.join('/');

/** The cgroup at `path` in the hierarchy an event names: ENOENT for either missing, EINVAL for a bad path. */
export function resolveCgroup(ctx: Ctx, hierarchy: string | undefined, path: string): Result<{ h: Hierarchy; cg: Cgroup }> {
  const h = resolveHierarchy(ctx, hierarchy);
  if (!h.ok) return h;
  // Every key of `cgroups` is a path splitPath accepts and joinPath gives back unchanged (mkdir
  // makes them so), so a path found as it is needs no parsing.
  const exact = h.value.cgroups.get(path);
  if (exact !== undefined) return success({ h: h.value, cg: exact });
  const names = splitPath(path, ctx.v.nameMax);
  if (!names.ok) return names;
  const cg = h.value.cgroups.get(joinPath(names.value));
  return cg ? success({ h: h.value, cg }) : failure('ENOENT', 'no-cgroup', path);
}
