import { cpulistFormat } from '../cgroup/cpulist.js';
import type { CpusetState } from '../cgroup/subsystems/cpuset.js';
import type { Hierarchy, InjectPoint } from '../cgroup/types.js';
import type { Op } from '../reducer/context.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import type { Event, SubsysName } from '../trace/schema-types.js';
import { VPID_DIV } from '../vpid/types.js';
import type { Choice } from './choice.js';
import {
  boundAfterOthers, childPath, cgroupPaths, cpuList, exclusiveSiblingWrites, filePrefix, hierarchies, injectedHierarchy, leafCgroups,
  liveTasks, pick, pickOr, runnableTasks, stoppedTasks, subsystems, unusedPid, view, visibleTasks, zombieTasks,
} from './pick.js';

/** What an op generator sees: the state, the choice, and whether this event is deliberately wrong. */
export interface Gen {
  s: KernelState;
  v: SemanticVersion;
  c: Choice;
  bad: boolean;
  /** Selector bits not yet used; `next()` hands them out so one choice feeds several picks. */
  next(): number;
}

export interface GenOptions {
  /** Percentage (0..100) of deliberately wrong events. */
  badPercent: number;
  /** Mix `inject` events in (`--faults`). */
  faults: boolean;
  /** Restrict to the rules both versions share (version agreement property). */
  sharedSubset: boolean;
  /** Restrict to cgroup ops and what feeds them (tasks come and go, cpus and mems go off and on). */
  cgroupFocus?: boolean;
  /** In a cgroup-focused run, the first this many events set subsystems up (genSetup) [0]. */
  setupEvents?: number;
}

type OpGen = (g: Gen) => Event;
interface OpEntry {
  op: Op;
  weight: number;
  gen: OpGen;
}

const SIGNALS = [15, 19, 18, 9, 20, 1, 17, 2, 21, 22, 10, 28, 0, 23, 64];
const NAMES = ['a', 'b', 'c', '__proto__', 'constructor', 'd'];
const HIER_NAMES = ['h1', 'h2', 'container', '__proto__'];
const PLUGINS = ['net_cls', 'faulty', 'debug', 'cpuset'];
const IMAGES = ['img1', 'img2', '__proto__'];
const FAULT_ERRNOS = ['ENOMEM', 'EINVAL', 'EAGAIN', 'ENOSPC', 'EBUSY', 'EPERM'] as const;

/** The caller: a runnable task; a wrong event names a zombie, a stopped task or a dead pid. */
function caller(g: Gen, hostOnly = false): Task | number {
  const { s } = g;
  if (g.bad && g.c.c % 5 === 0) {
    const sel = g.next();
    const odd = [...zombieTasks(s), ...stoppedTasks(s)].map((t) => t.pid);
    return sel % 3 === 0 || odd.length === 0 ? unusedPid(s, sel) : (pick(odd, sel) as number);
  }
  const all = runnableTasks(s);
  const pool = hostOnly && g.c.c % 7 !== 1 ? all.filter((t) => t.vps === 0) : all;
  return pickOr(pool.length ? pool : all, g.c.a, s.tasks.get(1) as Task);
}
const byOf = (t: Task | number): number => (typeof t === 'number' ? t : t.pid);
const callerTask = (g: Gen, t: Task | number): Task => (typeof t === 'number' ? (g.s.tasks.get(1) as Task) : t);

/** A pid argument in the caller's view: a visible task (optionally filtered), or for wrong events a dead number. */
function targetPid(g: Gen, me: Task, keep: (t: Task) => boolean = () => true): number {
  const sel = g.next();
  if (g.bad && sel % 2 === 0) return unusedPid(g.s, sel);
  const ts = visibleTasks(g.s, me, keep);
  const t = pick(ts, sel);
  return t ? view(g.s, me, t.pid) : unusedPid(g.s, sel);
}

function pidArgs(g: Gen, me: Task): number {
  const sel = g.next();
  switch (sel % 6) {
    case 0: return 0;
    case 1: return -1;
    case 2: return -view(g.s, me, pickOr(visibleTasks(g.s, me), sel >> 3, me).pgid);
    default: return targetPid(g, me);
  }
}

function hierarchyOf(g: Gen): { h: Hierarchy | undefined; name: string | undefined } {
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
function badName(sel: number): string {
  return ['.', '..', '', 'x'.repeat(256), 'a/'][sel % 5] as string;
}

function cgroupPath(g: Gen, h: Hierarchy | undefined, leafOnly = false): string {
  if (!h) return '/';
  const sel = g.next();
  if (g.bad && sel % 3 === 0) return sel % 2 ? '/missing/' + pickOr(NAMES, sel, 'a') : '/' + badName(sel >> 2);
  const paths = leafOnly ? leafCgroups(h) : cgroupPaths(h);
  return pickOr(paths, sel, '/');
}

function fileFor(g: Gen, h: Hierarchy | undefined): { file: string; subsys: string } {
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
function relativeList(h: Hierarchy | undefined, path: string, r: 'cpus' | 'mems', sel: number): string | null {
  const cg = h?.cgroups.get(path);
  const parent = cg?.parent != null ? h?.cgroups.get(cg.parent) : undefined;
  if (!h || !cg || !parent || !h.subsystems.includes('cpuset')) return null;
  const of = (p: string): number[] => (h.cgroups.get(p)?.subsys.get('cpuset') as CpusetState | undefined)?.[r] ?? [];
  const lists = [parent.path, ...parent.children.filter((p) => p !== path)].map(of).filter((xs) => xs.length > 0);
  const xs = pick(lists, sel);
  return xs ? cpulistFormat(xs) : null;
}

function valueFor(g: Gen, file: string, me: Task, h?: Hierarchy, path = '/'): string {
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

/**
 * A write to a cpuset file of a non-top cpuset, with a value taken from its parent or a sibling
 * half the time: the sequences validate_change judges (exclusive siblings that would overlap,
 * children outside a trial) are otherwise too rare to reach. Without a cpuset hierarchy, a
 * plain write.
 */
function genCpusetWrite(g: Gen): Event {
  const h = hierarchies(g.s).find((x) => x.subsystems.includes('cpuset'));
  if (!h || g.bad) return genWrite(g);
  const t = caller(g); const me = callerTask(g, t); const sel = g.next();
  const name = g.v.hierarchies === 'single' && sel % 3 === 0 ? undefined : h.name;
  const prefix = filePrefix(g.v, h, 'cpuset');
  // three times in four, the next step toward exclusive siblings that overlap (when there are siblings)
  const attack = sel % 4 !== 0 ? pick(exclusiveSiblingWrites(h), sel >> 2) : undefined;
  if (attack) return withH({ op: 'write', by: byOf(t), path: attack[0], file: prefix + attack[1], value: attack[2] }, name);
  const below = cgroupPaths(h).filter((p) => p !== '/');
  const path = pickOr(below, sel, '/');
  // a new cpuset starts with no cpus or mems: otherwise fill an empty one first
  const cs = h.cgroups.get(path)?.subsys.get('cpuset') as CpusetState | undefined;
  const empty = cs && sel % 4 === 0 ? (cs.cpus.length === 0 ? 'cpus' : cs.mems.length === 0 ? 'mems' : undefined) : undefined;
  const file = prefix + (empty ?? pickOr(['cpus', 'mems', 'cpu_exclusive', 'cpus', 'mem_exclusive'], sel >> 4, 'cpus'));
  return withH({ op: 'write', by: byOf(t), path, file, value: valueFor(g, file, me, h, path) }, name);
}

/** Plugins not registered or loaded yet: what a good register/load names most of the time, so that hierarchies fill up. */
const missingPlugins = (s: KernelState): string[] => PLUGINS.filter((p) => !subsystems(s).some((x) => x.name === p));

function genRegister(g: Gen): Event {
  const missing = missingPlugins(g.s);
  const names = missing.length && g.c.b % 4 !== 0 ? missing : PLUGINS;
  return { op: 'register_subsys', by: byOf(caller(g)), name: g.bad ? pickOr(['bogus', 'cpuset', ''], g.c.b, 'x') : pickOr(names, g.c.b >> 2, 'net_cls') };
}

function genLoad(g: Gen): Event {
  const t = caller(g); const sel = g.next();
  if (g.bad) { const k = sel % 4; return k === 0 ? { op: 'load_subsys', by: byOf(t), name: '' } : k === 1 ? { op: 'load_subsys', by: byOf(t), name: 'n'.repeat(33) }
    : k === 2 ? { op: 'load_subsys', by: byOf(t), name: 'net_cls', fork: true, exit: sel % 8 < 4 } : { op: 'load_subsys', by: byOf(t), name: 'bogus' }; }
  const missing = missingPlugins(g.s);
  return { op: 'load_subsys', by: byOf(t), name: pickOr(missing.length && sel % 4 !== 0 ? missing : PLUGINS, sel >> 2, 'net_cls') };
}

/**
 * Subsystem setup first, in a cgroup-focused run (the deep states of SPEC 7.1/7.2 need several
 * subsystems on one hierarchy): 2006 registers a missing plugin while only the top container
 * exists (register_subsys is EBUSY after any mkdir, SPEC 7.4); 2009 loads a missing plugin, then
 * mounts every free subsystem on one hierarchy. Once set up, it builds the tree (mkdir).
 */
function genSetup(g: Gen): Event {
  const missing = missingPlugins(g.s);
  if (g.v.registration === 'register') {
    const top = hierarchies(g.s)[0];
    const slots = g.s.cg.slots.filter((x) => x === null).length;
    return top && top.cgroups.size === 1 && missing.length && slots ? { op: 'register_subsys', by: 1, name: pickOr(missing, g.c.b, 'net_cls') } : genMkdir(g);
  }
  if (missing.length && g.c.b % 3 !== 0) return { op: 'load_subsys', by: 1, name: pickOr(missing, g.c.b >> 2, 'net_cls') };
  const free = subsystems(g.s).filter((x) => !x.bound).map((x) => x.name);
  const used = new Set(hierarchies(g.s).map((h) => h.name));
  const name = HIER_NAMES.find((n) => !used.has(n));
  return free.length > 1 && name !== undefined ? { op: 'mount', by: 1, hierarchy: name, subsystems: free } : genMkdir(g);
}

function genMkdir(g: Gen): Event {
  const by = caller(g); const { h, name } = hierarchyOf(g); const sel = g.next();
  // half of new cgroups go under the top, so that siblings (and their exclusive rules) are common
  const parent = h && (sel >> 10) % 2 !== 0 ? pickOr(cgroupPaths(h).filter((p) => p.split('/').length < 5), sel, '/') : '/';
  // a good mkdir mostly takes a name its parent does not have yet (EEXIST the rest of the time)
  const taken = new Set(h?.cgroups.get(parent)?.children ?? []);
  const fresh = NAMES.filter((n) => !taken.has(childPath(parent, n)));
  const nm = g.bad && sel % 3 === 0 ? badName(sel >> 2) : pickOr(!g.bad && (sel >> 12) % 4 !== 0 && fresh.length ? fresh : NAMES, sel >> 2, 'a');
  const path = g.bad && sel % 3 === 1 ? childPath('/missing', nm) : childPath(parent, nm);
  return withH({ op: 'mkdir', by: byOf(by), path }, name);
}

function genWrite(g: Gen): Event {
  const t = caller(g); const me = callerTask(g, t); const { h, name } = hierarchyOf(g);
  const path = cgroupPath(g, h); const { file } = fileFor(g, h);
  return withH({ op: 'write', by: byOf(t), path, file, value: valueFor(g, file, me, h, path) }, name);
}

const OPS: OpEntry[] = [
  { op: 'fork', weight: 16, gen: genFork },
  { op: 'mkdir', weight: 8, gen: genMkdir },
  { op: 'kill', weight: 9, gen: (g) => { const t = caller(g); const me = callerTask(g, t); const sel = g.next();
    const sig = g.bad && sel % 2 ? pickOr([65, -1, 99, 1000], sel >> 1, 65) : pickOr(SIGNALS, sel >> 1, 15);
    return { op: 'kill', by: byOf(t), pid: pidArgs(g, me), sig }; } },
  { op: 'wait', weight: 7, gen: genWait },
  { op: 'attach', weight: 6, gen: (g) => { const t = caller(g); const me = callerTask(g, t); const { h, name } = hierarchyOf(g);
    const sel = g.next(); const pid = sel % 4 === 0 ? 0 : targetPid(g, me, (x) => x.state !== 'zombie' || g.bad);
    return withH({ op: 'attach', by: byOf(t), path: cgroupPath(g, h), pid }, name); } },
  { op: 'write', weight: 9, gen: genWrite },
  { op: 'write', weight: 4, gen: genCpusetWrite },
  { op: 'read', weight: 3, gen: (g) => { const t = caller(g); const { h, name } = hierarchyOf(g);
    return withH({ op: 'read', by: byOf(t), path: cgroupPath(g, h), file: fileFor(g, h).file }, name); } },
  { op: 'exit', weight: 6, gen: (g) => { const sel = g.next(); const code = g.bad ? pickOr([256, 511, -1, 1e6], sel, 256) : sel % 300;
    if (g.bad && sel % 3 === 0) return { op: 'exit', by: 1, code };
    const t = caller(g); return { op: 'exit', by: byOf(t) === 1 && !g.bad ? byOf(pickOr(runnableTasks(g.s), g.c.a + 1, callerTask(g, t))) : byOf(t), code }; } },
  { op: 'signal', weight: 3, gen: (g) => { const t = caller(g); const sel = g.next();
    const sig = g.bad ? pickOr([9, 19, 0, 65, -3], sel, 9) : pickOr(SIGNALS.filter((x) => x !== 9 && x !== 19 && x !== 0), sel, 15);
    const action = (['ignore', 'catch', 'default'] as const)[(sel >> 4) % 3] as 'ignore' | 'catch' | 'default';
    return { op: 'signal', by: byOf(t), sig, action }; } },
  { op: 'setpgid', weight: 5, gen: genSetpgid },
  { op: 'setsid', weight: 3, gen: (g) => ({ op: 'setsid', by: byOf(caller(g)) }) },
  { op: 'getpid', weight: 1, gen: (g) => ({ op: 'getpid', by: byOf(caller(g)) }) },
  { op: 'getppid', weight: 1, gen: (g) => ({ op: 'getppid', by: byOf(caller(g)) }) },
  { op: 'getpgid', weight: 1, gen: (g) => { const t = caller(g); const sel = g.next();
    return sel % 3 === 0 ? { op: 'getpgid', by: byOf(t) } : { op: 'getpgid', by: byOf(t), pid: sel % 3 === 1 ? 0 : targetPid(g, callerTask(g, t)) }; } },
  { op: 'getsid', weight: 1, gen: (g) => { const t = caller(g); const sel = g.next();
    return sel % 3 === 0 ? { op: 'getsid', by: byOf(t) } : { op: 'getsid', by: byOf(t), pid: sel % 3 === 1 ? 0 : targetPid(g, callerTask(g, t)) }; } },
  { op: 'exec', weight: 2, gen: (g) => ({ op: 'exec', by: byOf(caller(g)) }) },
  { op: 'ptrace', weight: 6, gen: genPtrace },
  { op: 'migrate', weight: 3, gen: (g) => { const t = caller(g); const me = callerTask(g, t); const sel = g.next();
    const pid = g.bad && sel % 3 === 0 ? 1 : targetPid(g, me, (x) => x.pid !== 1 && x.state !== 'zombie');
    return { op: 'migrate', by: byOf(t), pid, node: nodeArg(g, sel >> 2) }; } },
  { op: 'node_down', weight: 2, gen: (g) => ({ op: 'node_down', node: g.bad ? badNode(g) : pickOr(upNodes(g.s).filter((n) => n !== 0), g.c.a, 1) }) },
  { op: 'node_up', weight: 2, gen: (g) => ({ op: 'node_up', node: g.bad ? pickOr(upNodes(g.s), g.c.a, 0) : pickOr(downNodes(g.s), g.c.a, g.s.nodesUp.length) }) },
  { op: 'rmdir', weight: 4, gen: (g) => { const t = caller(g); const { h, name } = hierarchyOf(g);
    const path = g.bad && g.c.c % 3 === 0 ? pickOr(['/', ...(h ? cgroupPaths(h) : [])], g.c.b, '/') : cgroupPath(g, h, true);
    return withH({ op: 'rmdir', by: byOf(t), path }, name); } },
  { op: 'mount', weight: 3, gen: genMount },
  { op: 'umount', weight: 1, gen: (g) => { const t = caller(g); const hs = hierarchies(g.s).map((h) => h.name);
    return { op: 'umount', by: byOf(t), hierarchy: g.bad ? pickOr(HIER_NAMES, g.c.b, 'x') + (g.c.b % 2 ? 'x' : '') : pickOr(hs, g.c.b, 'h1') }; } },
  { op: 'register_subsys', weight: 3, gen: genRegister },
  { op: 'load_subsys', weight: 3, gen: genLoad },
  { op: 'unload_subsys', weight: 3, gen: (g) => { const t = caller(g); const subs = subsystems(g.s);
    const names = g.bad ? [...subs.filter((x) => x.builtin).map((x) => x.name), 'bogus'] : subs.filter((x) => !x.builtin).map((x) => x.name);
    return { op: 'unload_subsys', by: byOf(t), name: pickOr(names, g.c.b, 'net_cls') }; } },
  { op: 'cpu_down', weight: 2, gen: (g) => ({ op: 'cpu_down', cpu: hotplugArg(g, g.s.cg.cpusOnline, g.s.config.cpus, true) }) },
  { op: 'cpu_up', weight: 2, gen: (g) => ({ op: 'cpu_up', cpu: hotplugArg(g, g.s.cg.cpusOnline, g.s.config.cpus, false) }) },
  { op: 'mem_down', weight: 1, gen: (g) => ({ op: 'mem_down', mem: hotplugArg(g, g.s.cg.memsOnline, g.s.config.mems, true) }) },
  { op: 'mem_up', weight: 1, gen: (g) => ({ op: 'mem_up', mem: hotplugArg(g, g.s.cg.memsOnline, g.s.config.mems, false) }) },
  { op: 'vps_create', weight: 4, gen: (g) => { const t = caller(g, true); const sel = g.next();
    const vps = g.bad && sel % 2 ? pickOr([0, -1, ...g.s.vpses.keys()], sel >> 1, 0) : 1 + (sel % 4);
    return { op: 'vps_create', by: byOf(t), vps }; } },
  { op: 'vps_enter', weight: 4, gen: (g) => ({ op: 'vps_enter', by: byOf(caller(g, true)), vps: vpsArg(g) }) },
  { op: 'vps_checkpoint', weight: 2, gen: (g) => ({ op: 'vps_checkpoint', by: byOf(caller(g, true)), vps: vpsArg(g), image: pickOr(IMAGES, g.next(), 'img1') }) },
  { op: 'vps_restore', weight: 2, gen: (g) => { const t = caller(g, true); const sel = g.next();
    const imgs = [...g.s.images.keys()].sort();
    const image = g.bad && sel % 2 ? 'noimage' : pickOr(imgs, sel >> 1, 'img1');
    const vps = g.bad && sel % 4 === 1 ? pickOr([...g.s.vpses.keys(), 0], sel >> 3, 0) : 1 + ((sel >> 3) % 6);
    return { op: 'vps_restore', by: byOf(t), vps, image }; } },
];

/**
 * `inject` (SPEC 7.6) at one of `points`; a create/can_attach fault mostly names a subsystem called
 * after others in its hierarchy, so that the failure has creates to unwind (or attaches to skip).
 */
const genInject = (points: readonly InjectPoint[]): OpGen => (g) => {
  const sel = g.next(); const point = pickOr(points, sel, 'create');
  const subs = subsystems(g.s).map((x) => x.name);
  const ev: Event = { op: 'inject', point, err: pickOr(FAULT_ERRNOS, sel >> 2, 'ENOMEM') };
  const after = boundAfterOthers(g.s);
  if (point !== 'fork' && (sel >> 5) % 4 !== 0) ev.subsys = pickOr<string>(after.length && (sel >> 7) % 4 !== 0 ? after : [...subs, 'faulty'], sel >> 9, 'cpuset') as SubsysName;
  if ((sel >> 11) % 3 === 0) ev.count = 2;
  return ev;
};
const INJECT: OpEntry = { op: 'inject', weight: 4, gen: genInject(['create', 'can_attach', 'fork']) };
/** Cgroup-focused runs inject only where cgroup ops fail. */
const INJECT_CGROUP: OpEntry = { op: 'inject', weight: 8, gen: genInject(['create', 'can_attach', 'create']) };

/** The ops whose rules both versions share (SPEC 9.1 version agreement): process, cluster, VPS. */
const SHARED_OPS = new Set<Op>(['fork', 'kill', 'wait', 'exit', 'signal', 'setpgid', 'setsid', 'getpid', 'getppid', 'getpgid', 'getsid',
  'exec', 'ptrace', 'migrate', 'node_down', 'node_up', 'vps_create', 'vps_enter', 'vps_checkpoint', 'vps_restore']);

/**
 * The ops of a cgroup-focused run: deep cgroup trees, cpuset writes that meet siblings, and failed
 * creates with several subsystems bound are rare when every op competes.
 */
const CGROUP_OPS = new Set<Op>(['fork', 'exit', 'mkdir', 'rmdir', 'attach', 'write', 'read', 'mount', 'umount', 'register_subsys',
  'load_subsys', 'unload_subsys', 'cpu_down', 'cpu_up', 'mem_down', 'mem_up', 'inject']);
/**
 * Weights that differ in a cgroup-focused run: trees are built (SETUP, mkdir) and cpusets written;
 * SETUP does the version's register/load/mount, so the plain ones (ENOSYS in the other version) stay rare.
 */
const CGROUP_FOCUS_WEIGHTS = new Map<OpGen, number>([[genFork, 10], [genMount, 2], [genMkdir, 8], [genCpusetWrite, 30], [genRegister, 2], [genLoad, 2]]);
/** Only in a cgroup-focused table: subsystems set up, else the tree grows (a wrong event is a wrong mkdir). */
const SETUP: OpEntry = { op: 'register_subsys', weight: 14, gen: (g) => (g.bad ? genMkdir(g) : genSetup(g)) };

type CgroupEvent = Extract<Event, { op: 'mkdir' | 'rmdir' | 'attach' | 'write' | 'read' }>;
function withH(ev: CgroupEvent, name: string | undefined): Event {
  if (name !== undefined) ev.hierarchy = name;
  return ev;
}

const upNodes = (s: KernelState): number[] => s.nodesUp.flatMap((up, n) => (up ? [n] : []));
const downNodes = (s: KernelState): number[] => s.nodesUp.flatMap((up, n) => (up ? [] : [n]));
const badNode = (g: Gen): number => pickOr([0, g.s.nodesUp.length, -1, ...downNodes(g.s)], g.c.b, 0);
function nodeArg(g: Gen, sel: number): number {
  return g.bad && sel % 2 ? pickOr([g.s.nodesUp.length, -1, ...downNodes(g.s)], sel >> 1, 99) : pickOr(upNodes(g.s), sel >> 1, 0);
}

function hotplugArg(g: Gen, online: Set<number>, installed: number, down: boolean): number {
  const all = Array.from({ length: installed }, (_, i) => i);
  const good = all.filter((x) => online.has(x) === down);
  if (g.bad || good.length === 0) return pickOr([installed, -1, ...all.filter((x) => online.has(x) !== down)], g.c.b, installed);
  return pickOr(good, g.c.b, 0);
}

function vpsArg(g: Gen): number {
  const ids = [...g.s.vpses.keys()].sort((a, b) => a - b);
  return g.bad ? pickOr([0, 99, ...ids], g.c.b, 99) : pickOr(ids, g.c.b, 1);
}

function genFork(g: Gen): Event {
  const t = caller(g); const me = callerTask(g, t); const sel = g.next(); const ev: Event = { op: 'fork', by: byOf(t) };
  const { pidMax } = g.s.config;
  if (!g.bad) {
    const k = sel % 10;
    if (k === 1 && g.s.nodesUp.length > 1) ev.node = pickOr(upNodes(g.s), sel >> 4, 0);
    if (k === 2 && me.vps !== 0) ev.vpid = VPID_DIV + 2 + ((sel >> 4) % 60);
    if (k === 3 && me.vps !== 0) ev.vpid = 1;
    if (k === 4) { let p = g.s.last + 2 + ((sel >> 4) % 3); if (p & VPID_DIV) p += VPID_DIV; if (p < pidMax && !g.s.numUse.has(p)) ev.pid = p; }
    return ev;
  }
  switch (sel % 6) {
    case 0: ev.node = badNode(g); break;
    case 1: ev.pid = pickOr([0, pidMax, VPID_DIV + 5, ...[...g.s.tasks.keys()]], sel >> 3, 0); break;
    case 2: ev.vpid = pickOr([5, VPID_DIV + 3, pidMax + VPID_DIV], sel >> 3, 5); break;
    case 3: ev.vpid = 1; break;
    case 4: ev.pid = pickOr([...g.s.numUse.keys()], sel >> 3, 1); break;
    default: { const vps = g.s.vpses.get(me.vps); if (vps) ev.vpid = view(g.s, me, pickOr(visibleTasks(g.s, me), sel >> 3, me).pid); }
  }
  return ev;
}

function genWait(g: Gen): Event {
  const all = runnableTasks(g.s);
  const parents = all.filter((t) => t.children.length > 0 || t.traced.length > 0);
  const t = g.bad && g.c.c % 5 === 0 ? caller(g) : pickOr(g.c.c % 4 === 0 ? all : parents.length ? parents : all, g.c.a, g.s.tasks.get(1) as Task);
  const me = callerTask(g, t); const sel = g.next();
  const ev: Event = { op: 'wait', by: byOf(t) };
  const kids = [...me.children, ...me.traced];
  const k = sel % 6;
  if (g.bad) ev.pid = k % 2 ? unusedPid(g.s, sel) : -unusedPid(g.s, sel);
  else if (k === 1 && kids.length) ev.pid = view(g.s, me, pickOr(kids, sel >> 3, 1));
  else if (k === 2) ev.pid = 0;
  else if (k === 3) ev.pid = -view(g.s, me, me.pgid);
  if ((sel >> 6) % 4 !== 0) ev.nohang = true;
  if ((sel >> 8) % 2) ev.untraced = true;
  if ((sel >> 9) % 2) ev.continued = true;
  return ev;
}

function genSetpgid(g: Gen): Event {
  const t = caller(g); const me = callerTask(g, t); const sel = g.next();
  if (g.bad) {
    const k = sel % 5;
    if (k === 0) return { op: 'setpgid', by: byOf(t), pid: 0, pgid: -1 };
    if (k === 1) return { op: 'setpgid', by: byOf(t), pid: targetPid(g, me), pgid: 0 };
    if (k === 2) return { op: 'setpgid', by: byOf(t), pid: 0, pgid: unusedPid(g.s, sel) };
    return { op: 'setpgid', by: byOf(t), pid: view(g.s, me, pickOr(visibleTasks(g.s, me), sel >> 3, me).pid), pgid: 0 };
  }
  const kids = me.children.map((p) => g.s.tasks.get(p)).filter((x): x is Task => !!x && x.state !== 'zombie');
  const target = sel % 3 === 0 ? me : pickOr(kids, sel >> 2, me);
  const sessionPgids = [...new Set(liveTasks(g.s).filter((x) => x.sid === me.sid).map((x) => x.pgid))].sort((a, b) => a - b);
  const pgid = (sel >> 5) % 2 ? 0 : pickOr(sessionPgids, sel >> 6, 0);
  return { op: 'setpgid', by: byOf(t), pid: target === me && sel % 2 ? 0 : view(g.s, me, target.pid), pgid: pgid === 0 ? 0 : view(g.s, me, pgid) };
}

function genPtrace(g: Gen): Event {
  const t = caller(g); const me = callerTask(g, t); const sel = g.next(); const by = byOf(t);
  const k = sel % 8;
  if (k < 3) {
    const pid = g.bad && sel % 16 < 8 ? view(g.s, me, pickOr([me.pid, 1, ...zombieTasks(g.s).map((x) => x.pid), ...liveTasks(g.s).filter((x) => x.tracer).map((x) => x.pid)], sel >> 4, 1))
      : targetPid(g, me, (x) => x.pid !== me.pid && x.pid > 1 && x.state !== 'zombie' && x.tracer === 0);
    return { op: 'ptrace', by, request: 'attach', pid };
  }
  if (k === 3) return { op: 'ptrace', by, request: 'traceme' };
  const request = k < 6 ? 'cont' : 'detach';
  const tracees = me.traced.map((p) => g.s.tasks.get(p)).filter((x): x is Task => !!x);
  const stopped = tracees.filter((x) => x.state === 'stopped');
  const s2 = (sel >> 8) % 4;
  // a wrong signal needs a right target (ESRCH is checked first), else a wrong target
  const wrongTarget = g.bad && s2 !== 0;
  const target = wrongTarget ? pickOr(visibleTasks(g.s, me), sel >> 4, me) : pickOr(stopped.length ? stopped : tracees, sel >> 4, me);
  const ev: Event = { op: 'ptrace', by, request, pid: view(g.s, me, target.pid) };
  if (g.bad && s2 === 0) ev.sig = pickOr([65, -1, 100], sel >> 10, 65);
  else if (s2 === 1) ev.sig = pickOr(SIGNALS, sel >> 10, 0);
  return ev;
}

function genMount(g: Gen): Event {
  const t = caller(g); const sel = g.next(); const by = byOf(t);
  if (g.v.hierarchies === 'single') {
    if (!g.bad) return sel % 2 ? { op: 'mount', by, hierarchy: 'container' } : { op: 'mount', by, hierarchy: 'container', subsystems: subsystems(g.s).map((x) => x.name) };
    return { op: 'mount', by, hierarchy: pickOr(HIER_NAMES, sel >> 1, 'h1'), subsystems: ['cpuset', 'bogus'].slice(0, 1 + (sel % 2)) };
  }
  const subs = subsystems(g.s);
  const free = subs.filter((x) => !x.bound).map((x) => x.name);
  const hierarchy = pickOr(HIER_NAMES, sel >> 2, 'h1');
  if (g.bad) {
    const k = sel % 3;
    const names = k === 0 ? ['bogus'] : k === 1 ? subs.filter((x) => x.bound).map((x) => x.name).slice(0, 1) : ['net_cls'];
    return { op: 'mount', by, hierarchy, subsystems: names };
  }
  const k = sel % 5;
  if (k === 0) return { op: 'mount', by, hierarchy };
  const chosen = free.filter((_, i) => ((sel >> (5 + i)) & 1) === 1 || k === 1);
  const ev: Event = { op: 'mount', by, hierarchy, subsystems: k === 4 ? [] : chosen };
  if ((sel >> 12) % 2) ev.noprefix = true;
  return ev;
}

/** The op table for a campaign: cumulative weights so `choice.op` indexes it directly. */
export class OpTable {
  readonly entries: OpEntry[];
  readonly cumulative: number[];
  readonly total: number;
  constructor(opts: Pick<GenOptions, 'faults' | 'sharedSubset' | 'cgroupFocus'>) {
    let entries = opts.faults ? [...OPS, INJECT] : [...OPS];
    if (opts.sharedSubset) entries = entries.filter((e) => SHARED_OPS.has(e.op));
    if (opts.cgroupFocus) {
      const focused = entries.filter((e) => e !== INJECT && CGROUP_OPS.has(e.op)).map((e) => ({ ...e, weight: CGROUP_FOCUS_WEIGHTS.get(e.gen) ?? e.weight }));
      entries = [...focused, SETUP, ...(opts.faults ? [INJECT_CGROUP] : [])];
    }
    this.entries = entries;
    let acc = 0;
    this.cumulative = entries.map((e) => (acc += e.weight));
    this.total = acc;
  }
  entryFor(opIndex: number): OpEntry {
    const x = opIndex % this.total;
    let lo = 0;
    while (this.cumulative[lo]! <= x) lo++;
    return this.entries[lo]!;
  }
  /** Every op this table can generate. */
  ops(): Op[] {
    return this.entries.map((e) => e.op);
  }
}

/** Turns abstract choice number `index` (0-based) into a concrete event against the current state. */
export function concretize(table: OpTable, s: KernelState, v: SemanticVersion, c: Choice, opts: GenOptions, index = Infinity): Event {
  const bits = [c.b, c.c, c.a ^ c.b, (c.a * 31 + c.c) & 0xffff];
  let i = 0;
  const g: Gen = { s, v, c, bad: c.bad < opts.badPercent, next: () => bits[i++ % bits.length]! + (i > bits.length ? i : 0) };
  if (opts.cgroupFocus && index < (opts.setupEvents ?? 0)) return genSetup(g);
  return table.entryFor(c.op).gen(g);
}

export const ALL_GENERATED_OPS: readonly Op[] = [...OPS, INJECT].map((e) => e.op);
