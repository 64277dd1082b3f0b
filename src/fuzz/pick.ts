import type { Hierarchy } from '../cgroup/types.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { pidToView } from '../vpid/view.js';

/** Read-only queries over the current state that the generator picks targets from. */

export const pick = <T>(xs: readonly T[], sel: number): T | undefined => (xs.length === 0 ? undefined : xs[sel % xs.length]);
export const pickOr = <T>(xs: readonly T[], sel: number, fallback: T): T => pick(xs, sel) ?? fallback;

const sortedTasks = (s: KernelState, keep: (t: Task) => boolean): Task[] => {
  const out: Task[] = [];
  for (const t of s.tasks.values()) if (keep(t)) out.push(t);
  return out.sort((x, y) => x.pid - y.pid);
};

export const liveTasks = (s: KernelState): Task[] => sortedTasks(s, (t) => t.state !== 'zombie');
export const runnableTasks = (s: KernelState): Task[] => sortedTasks(s, (t) => t.state === 'running');
export const stoppedTasks = (s: KernelState): Task[] => sortedTasks(s, (t) => t.state === 'stopped');
export const zombieTasks = (s: KernelState): Task[] => sortedTasks(s, (t) => t.state === 'zombie');

/** Tasks `caller` can name: on the host every task, in a VPS the tasks of that VPS. */
export const visibleTasks = (s: KernelState, caller: Task, keep: (t: Task) => boolean = () => true): Task[] =>
  sortedTasks(s, (t) => (caller.vps === 0 || t.vps === caller.vps) && keep(t));

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
  return [...h.cgroups.keys()].sort((x, y) => depth(y) - depth(x) || (x < y ? -1 : x > y ? 1 : 0));
}
export const depth = (path: string): number => (path === '/' ? 0 : path.split('/').length - 1);
export const childPath = (parent: string, name: string): string => (parent === '/' ? '/' + name : parent + '/' + name);

export const leafCgroups = (h: Hierarchy): string[] => cgroupPaths(h).filter((p) => p !== '/' && h.cgroups.get(p)?.children.length === 0);

/** Loaded subsystem names in slot order, and which of them are builtin / bound. */
export function subsystems(s: KernelState): { name: string; builtin: boolean; bound: boolean }[] {
  const out: { name: string; builtin: boolean; bound: boolean }[] = [];
  for (const slot of s.cg.slots) if (slot) out.push({ name: slot.name, builtin: slot.builtin, bound: slot.hierarchy !== null });
  return out;
}

/** The prefix of a subsystem's control files on `h` (SPEC 7.3: 2006 unprefixed cpuset files, 2009 `noprefix`). */
export function filePrefix(v: SemanticVersion, h: Hierarchy, subsys: string): string {
  if (subsys === 'cpuset' && v.cpusetRules === '2006') return '';
  return h.noprefix ? '' : subsys + '.';
}

/** A cpulist naming a subset of `online` (SPEC 7.3 list syntax), selected by `sel`. */
export function cpuList(online: Set<number>, sel: number): string {
  const xs = [...online].sort((a, b) => a - b);
  if (xs.length === 0) return '';
  const lo = xs[sel % xs.length]!;
  const hi = xs[(sel >> 3) % xs.length]!;
  const [from, to] = lo <= hi ? [lo, hi] : [hi, lo];
  const mode = (sel >> 6) % 4;
  if (mode === 0 || from === to) return String(from);
  if (mode === 1) return `${from}-${to}`;
  if (mode === 2) return xs.filter((x) => x >= from && x <= to).join(',');
  return `${from}-${to},`;
}
