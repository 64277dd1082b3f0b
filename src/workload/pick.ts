import type { CpusetState } from '../cgroup/subsystems/cpuset-state.js';
import type { Hierarchy } from '../cgroup/types.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { isVisible, pidToView } from '../vpid/view.js';

/** Read-only queries over the current state that the generator picks targets from. */

export const pick = <T>(xs: readonly T[], sel: number): T | undefined => (xs.length === 0 ? undefined : xs[sel % xs.length]);
export const pickOr = <T>(xs: readonly T[], sel: number, fallback: T): T => pick(xs, sel) ?? fallback;

/**
 * The tasks `keep` accepts, by pid. The task table is mostly in pid order already (forks take
 * rising pids), so the sort runs only when an entry came out of order: the generator asks for
 * these lists for nearly every event.
 */
const sortedTasks = (s: KernelState, keep: (t: Task) => boolean): Task[] => {
  const out: Task[] = [];
  let ordered = true;
  for (const t of s.tasks.values()) {
    if (!keep(t)) continue;
    if (out.length > 0 && (out[out.length - 1] as Task).pid > t.pid) ordered = false;
    out.push(t);
  }
  return ordered ? out : out.sort((x, y) => x.pid - y.pid);
};

export const liveTasks = (s: KernelState): Task[] => sortedTasks(s, (t) => t.state !== 'zombie');
export const runnableTasks = (s: KernelState): Task[] => sortedTasks(s, (t) => t.state === 'running');
export const stoppedTasks = (s: KernelState): Task[] => sortedTasks(s, (t) => t.state === 'stopped');
export const zombieTasks = (s: KernelState): Task[] => sortedTasks(s, (t) => t.state === 'zombie');

/** Tasks `caller` can name: on the host every task, in a VPS the tasks of that VPS, in a pid namespace the tasks it numbers. */
export const visibleTasks = (s: KernelState, caller: Task, keep: (t: Task) => boolean = () => true): Task[] =>
  sortedTasks(s, (t) => isVisible(s, caller, t) && keep(t));

/** A global number as the caller writes it (its vpid inside a VPS). */
export const view = (s: KernelState, caller: Task, n: number): number => pidToView(s, caller, n);

/** A number no task uses: the generator's "dead pid". */
export function unusedPid(s: KernelState, sel: number): number {
  const pidMax = s.config.pidMax;
  for (let i = 0; i < 8; i++) {
    const n = 2 + ((s.last + 1 + sel + i) % Math.max(1, pidMax - 2));
    if (!s.numUse.has(n) && !s.tasks.has(n)) return n;
  }
  return pidMax + 7;
}

/** Mounted hierarchies by name, sorted (2006: the one `container`). */
export function hierarchies(s: KernelState): Hierarchy[] {
  return [...s.cg.hierarchies.values()].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

/** Cgroup paths of a hierarchy, deepest first (so low selectors, which shrinking prefers, nest). */
export function cgroupPaths(h: Hierarchy): string[] {
  if (h.cgroups.size === 1) return [...h.cgroups.keys()];
  return [...h.cgroups.keys()].sort((x, y) => depth(y) - depth(x) || (x < y ? -1 : x > y ? 1 : 0));
}
/** Slashes in a path but the root's (no allocation: the sort above calls it per comparison). */
export function depth(path: string): number {
  if (path === '/') return 0;
  let n = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) n++;
  return n;
}
export const childPath = (parent: string, name: string): string => (parent === '/' ? '/' + name : parent + '/' + name);

export const leafCgroups = (h: Hierarchy): string[] => cgroupPaths(h).filter((p) => p !== '/' && h.cgroups.get(p)?.children.length === 0);

/** Loaded subsystem names in slot order, and which of them are builtin / bound. */
export function subsystems(s: KernelState): { name: string; builtin: boolean; bound: boolean }[] {
  const out: { name: string; builtin: boolean; bound: boolean }[] = [];
  for (const slot of s.cg.slots) if (slot) out.push({ name: slot.name, builtin: slot.builtin, bound: slot.hierarchy !== null });
  return out;
}

/**
 * The prefix of a subsystem's control files on `h` (reference: write: unprefixed cpuset files without the
 * version's `filePrefix`, else as `noprefix` says). Other subsystems keep their prefix there, so a
 * version without `filePrefix` sees some names it does not have (ENOENT).
 */
export function filePrefix(v: SemanticVersion, h: Hierarchy, subsys: string): string {
  if (subsys === 'cpuset' && !v.filePrefix) return '';
  return h.noprefix ? '' : subsys + '.';
}

/**
 * Subsystems bound to a mounted hierarchy after at least one other in that hierarchy's call order
 * (reference: mkdir): a `create` or `can_attach` failing there runs after others succeeded, so the unwind
 * (reference: mkdir mkdir) or the short-cut of the attach has something to undo.
 */
export function boundAfterOthers(s: KernelState): string[] {
  const out: string[] = [];
  // the last one twice: it fails after the most others
  for (const h of hierarchies(s)) if (h.subsystems.length > 1) out.push(...h.subsystems.slice(1), h.subsystems[h.subsystems.length - 1]!);
  return out;
}

/** The mounted hierarchy a pending `create`/`can_attach` injection will fire in, if any (reference: inject). */
export function injectedHierarchy(s: KernelState): Hierarchy | undefined {
  for (const inj of s.injections) {
    if (inj.point === 'fork') continue;
    const hs = hierarchies(s);
    const h = inj.subsys === null ? hs.find((x) => x.subsystems.length > 1) : hs.find((x) => x.subsystems.includes(inj.subsys as string));
    if (h) return h;
  }
  return undefined;
}

const cpusetOf = (h: Hierarchy, path: string): CpusetState | undefined => h.cgroups.get(path)?.subsys.get('cpuset') as CpusetState | undefined;

/**
 * The next write that takes two sibling cpusets to where the exclusive-sibling rule of
 * validate_change decides (reference: write, seed 001), per sibling pair and resource: give the first its
 * parent's list, give the second the first's list (they overlap), then make the first exclusive;
 * or, once the first is exclusive, give the second its list. Each is `[path, file, value]` (a
 * cpulist, or "1" for the flag), file without the prefix.
 */
export function exclusiveSiblingWrites(h: Hierarchy): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const parent of cgroupPaths(h)) {
    const kids = h.cgroups.get(parent)?.children ?? [];
    const p = cpusetOf(h, parent);
    if (!p || kids.length < 2) continue;
    for (let i = 0; i + 1 < kids.length; i++) {
      const [a, b] = [cpusetOf(h, kids[i]!), cpusetOf(h, kids[i + 1]!)];
      if (!a || !b) continue;
      for (const [r, flag, excl] of [['cpus', 'cpu_exclusive', a.cpuExclusive], ['mems', 'mem_exclusive', a.memExclusive]] as const) {
        if (p[r].length === 0) continue;
        if (a[r].length === 0) out.push([kids[i]!, r, p[r].join(',')]);
        else if (b[r].length === 0 || excl) out.push([kids[i + 1]!, r, a[r].join(',')]);
        else if (!b.cpuExclusive && !b.memExclusive) out.push([kids[i]!, flag, '1']);
      }
    }
  }
  return out;
}
