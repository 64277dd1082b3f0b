import { SUBSYSTEMS } from '../cgroup/subsystems/index.js';
import type { Hierarchy } from '../cgroup/types.js';
import type { KernelState } from '../state/types.js';
import type { Task } from '../state/task.js';
import type { Event } from '../trace/schema-types.js';
import { type Gen, HIER_NAMES, NAMES } from './gen.js';
import { cgroupPaths, filePrefix, hierarchies, injectedHierarchy, leafCgroups, pick, pickOr, subsystems, view, visibleTasks } from './pick.js';

/** Picks for the cgroup ops' generators: hierarchies, paths, control files and the values to write. */
export function hierarchyOf(g: Gen): { h: Hierarchy | undefined; name: string | undefined } {
  const hs = hierarchies(g.s);
  if (g.bad && g.c.c % 4 === 1) return { h: undefined, name: g.c.c % 8 === 1 ? undefined : pickOr(HIER_NAMES, g.c.b, 'nope') + 'x' };
  // a pending create/can_attach fault fires only in the hierarchy of its subsystem: go there most of the time
  const hot = injectedHierarchy(g.s);
  // else a hierarchy with more subsystems more often (one entry per bound subsystem, plus one)
  const h = hot && g.c.b % 4 !== 0 ? hot : hs.length > 1 ? pick(hs.flatMap((x) => Array<Hierarchy>(1 + x.subsystems.length).fill(x)), g.c.b) : hs[0];
  if (!h) return { h: undefined, name: pickOr(HIER_NAMES, g.c.b, 'h1') };
  return { h, name: g.v.hierarchies === 'single' && g.c.b % 3 === 0 ? undefined : h.name };
}

/** A path: mostly an existing cgroup (deep ones first); wrong events: missing parents, bad names. */
export function badName(sel: number): string {
  return ['.', '..', '', 'x'.repeat(256), 'a/'][sel % 5] as string;
}

export function cgroupPath(g: Gen, h: Hierarchy | undefined, leafOnly = false): string {
  if (!h) return '/';
  const sel = g.next();
  if (g.bad && sel % 3 === 0) return sel % 2 ? '/missing/' + pickOr(NAMES, sel, 'a') : '/' + badName(sel >> 2);
  const paths = leafOnly ? leafCgroups(h) : cgroupPaths(h);
  return pickOr(paths, sel, '/');
}

/** A control file to read or write: a core file, or one of a bound subsystem's fuzz samples (its plugin's `fuzz.files`). */
export function fileFor(g: Gen, h: Hierarchy | undefined): { file: string; subsys: string } {
  const sel = g.next();
  const core = ['tasks', 'notify_on_release'];
  if (g.v.releaseAgentFile) core.push('cgroup.procs', 'release_agent');
  const subs = h ? h.subsystems : [];
  const sub = pick(subs, sel >> 2);
  const files: { file: string; subsys: string }[] = core.map((f) => ({ file: f, subsys: '' }));
  const samples = sub === undefined ? undefined : SUBSYSTEMS.get(sub)?.fuzz;
  if (h && sub !== undefined && samples) for (const f of [...samples.files, ...(samples.filesUnder?.(g.v) ?? [])]) files.push({ file: filePrefix(g.v, h, sub) + f, subsys: sub });
  if (g.bad && sel % 4 === 0) return { file: pickOr(WRONG_FILES, sel >> 3, 'x'), subsys: '' };
  const preferSubsys = files.length > core.length && sel % 3 !== 0;
  return preferSubsys ? (pick(files.slice(core.length), sel >> 4) as { file: string; subsys: string }) : (pick(files, sel >> 4) as { file: string; subsys: string });
}

/** Names a wrong write or read tries: each plugin's first sample file in both prefix forms (the other version's names), or nonsense. */
const WRONG_FILES: readonly string[] = [
  ...[...SUBSYSTEMS.values()].flatMap((p) => (p.fuzz && p.fuzz.files.length > 0 ? [`${p.name}.${p.fuzz.files[0]}`, p.fuzz.files[0] as string] : [])),
  'nope',
];

/**
 * A value to write to `file` (of subsystem `subsys`, '' for a core file): for a wrong event a
 * malformed number or list; a visible pid for `tasks`; the plugin's sample for a subsystem's file.
 */
export function valueFor(g: Gen, file: string, subsys: string, me: Task, h?: Hierarchy, path = '/'): string {
  const sel = g.next();
  if (g.bad) {
    const wrong = ['-1', '0-', '0--1', '0AAA', '1-0', '0,,1', '0 1', 'x,70', '70,x', '70', '65', '', ' 1', '9'.repeat(70), 'abc', '0x', '-5', '1.5', '99999999999999999999'];
    return pickOr(wrong, sel, 'x');
  }
  const samples = subsys === '' ? undefined : SUBSYSTEMS.get(subsys)?.fuzz;
  if (samples?.value && h) {
    const value = samples.value(g.s.cg, h, path, file.slice(filePrefix(g.v, h, subsys).length), sel);
    if (value !== undefined) return value;
  }
  if (file === 'tasks') return String(sel % 4 === 0 ? 0 : view(g.s, me, pickOr(visibleTasks(g.s, me, (t) => t.state !== 'zombie'), sel >> 2, me).pid));
  if (file === 'release_agent') return '/sbin/agent';
  return sel % 3 === 0 ? '0' : '1';
}

/** Every shipped plugin (SUBSYSTEMS): what register_subsys and load_subsys name. */
export const PLUGINS: readonly string[] = [...SUBSYSTEMS.keys()];

/** Plugins not registered or loaded yet: what a good register/load names most of the time, so that hierarchies fill up. */
export const missingPlugins = (s: KernelState): string[] => PLUGINS.filter((p) => !subsystems(s).some((x) => x.name === p));

export type CgroupEvent = Extract<Event, { op: 'mkdir' | 'rmdir' | 'attach' | 'write' | 'read' }>;
export function withH(ev: CgroupEvent, name: string | undefined): Event {
  if (name !== undefined) ev.hierarchy = name;
  return ev;
}
