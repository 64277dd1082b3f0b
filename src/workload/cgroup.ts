import { cpulistFormat } from '../cgroup/cpulist.js';
import type { CpusetState } from '../cgroup/subsystems/cpuset.js';
import type { Hierarchy } from '../cgroup/types.js';
import type { KernelState } from '../state/types.js';
import type { Task } from '../state/task.js';
import type { Event } from '../trace/schema-types.js';
import { type Gen, HIER_NAMES, NAMES, PLUGINS } from './gen.js';
import { cgroupPaths, cpuList, filePrefix, hierarchies, injectedHierarchy, leafCgroups, pick, pickOr, subsystems, view, visibleTasks } from './pick.js';

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

export function fileFor(g: Gen, h: Hierarchy | undefined): { file: string; subsys: string } {
  const sel = g.next();
  const core = ['tasks', 'notify_on_release'];
  if (g.v.releaseAgentFile) core.push('cgroup.procs', 'release_agent');
  const subs = h ? h.subsystems : [];
  const sub = pick(subs, sel >> 2);
  const files: { file: string; subsys: string }[] = core.map((f) => ({ file: f, subsys: '' }));
  if (sub === 'cpuset' && h) {
    for (const f of ['cpus', 'mems', 'cpus', 'mems', 'cpu_exclusive', 'mem_exclusive', 'memory_migrate'])
      files.push({ file: filePrefix(g.v, h, 'cpuset') + f, subsys: 'cpuset' });
  } else if (sub === 'net_cls' && h) files.push({ file: filePrefix(g.v, h, 'net_cls') + 'classid', subsys: 'net_cls' });
  else if (sub === 'debug' && h)
    for (const f of ['taskcount', 'releasable', 'current_css_set_refcount']) files.push({ file: filePrefix(g.v, h, 'debug') + f, subsys: 'debug' });
  if (g.bad && sel % 4 === 0) {
    // the other version's names, the other prefix form, or nonsense
    return { file: pickOr(['cpuset.cpus', 'cpus', 'mems', 'cpuset.mems', 'classid', 'nope', 'debug.taskcount'], sel >> 3, 'x'), subsys: '' };
  }
  const preferSubsys = files.length > core.length && sel % 3 !== 0;
  return preferSubsys ? (pick(files.slice(core.length), sel >> 4) as { file: string; subsys: string }) : (pick(files, sel >> 4) as { file: string; subsys: string });
}

/**
 * A cpus/mems list taken from the cpuset's parent or a sibling: always within the parent (so the
 * write gets past EACCES), and overlapping the sibling, which is where validate_change's
 * exclusive-sibling rule matters. Null when there is no such list.
 */
export function relativeList(h: Hierarchy | undefined, path: string, r: 'cpus' | 'mems', sel: number): string | null {
  const cg = h?.cgroups.get(path);
  const parent = cg?.parent != null ? h?.cgroups.get(cg.parent) : undefined;
  if (!h || !cg || !parent || !h.subsystems.includes('cpuset')) return null;
  const of = (p: string): number[] => (h.cgroups.get(p)?.subsys.get('cpuset') as CpusetState | undefined)?.[r] ?? [];
  const lists = [parent.path, ...parent.children.filter((p) => p !== path)].map(of).filter((xs) => xs.length > 0);
  const xs = pick(lists, sel);
  return xs ? cpulistFormat(xs) : null;
}

export function valueFor(g: Gen, file: string, me: Task, h?: Hierarchy, path = '/'): string {
  const sel = g.next();
  const base = file.replace(/^cpuset\./, '');
  if (g.bad) {
    const wrong = ['-1', '0-', '0--1', '0AAA', '1-0', '0,,1', '0 1', 'x,70', '70,x', '70', '65', '', ' 1', '9'.repeat(70), 'abc', '0x', '-5', '1.5', '99999999999999999999'];
    return pickOr(wrong, sel, 'x');
  }
  if ((base === 'cpus' || base === 'mems') && sel % 3 === 1) {
    const rel = relativeList(h, path, base, sel >> 2);
    if (rel !== null) return rel;
  }
  if (base === 'cpus') return cpuList(g.s.cg.cpusOnline, sel);
  if (base === 'mems') return cpuList(g.s.cg.memsOnline, sel);
  if (file === 'tasks') return String(sel % 4 === 0 ? 0 : view(g.s, me, pickOr(visibleTasks(g.s, me, (t) => t.state !== 'zombie'), sel >> 2, me).pid));
  if (file === 'release_agent') return '/sbin/agent';
  if (file.endsWith('classid')) return pickOr(['1048577', '0', '0x100001', '4294967297', ' 7 '], sel >> 2, '1');
  return sel % 3 === 0 ? '0' : '1';
}

/** Plugins not registered or loaded yet: what a good register/load names most of the time, so that hierarchies fill up. */
export const missingPlugins = (s: KernelState): string[] => PLUGINS.filter((p) => !subsystems(s).some((x) => x.name === p));

export type CgroupEvent = Extract<Event, { op: 'mkdir' | 'rmdir' | 'attach' | 'write' | 'read' }>;
export function withH(ev: CgroupEvent, name: string | undefined): Event {
  if (name !== undefined) ev.hierarchy = name;
  return ev;
}
