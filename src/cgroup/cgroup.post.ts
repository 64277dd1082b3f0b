import { NO_RECORD } from '../reducer/record.js';
import { post, runnableCaller, show } from '../kernel/post-util.js';
import type { Outcome } from '../reducer/outcome.js';
import type { Postcondition } from '../reducer/postcondition.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';
import type { Event } from '../trace/schema-types.js';
import { viewToPid } from '../vpid/view.js';
import { bitmapParselist } from './cpulist.js';
import { sysRead } from './files.js';
import { joinPath, splitPath } from './paths.js';
import type { Hierarchy } from './types.js';
import { findSlot, taskCgroupIn } from './world.js';

/** Postconditions of the cgroup ops (reference: Operations; issue 12), stated from the reference (docs/reference.md), not the handlers. */
type Ev<K extends Event['op']> = Extract<Event, { op: K }>;

/** The hierarchy an event names (omitted: the one hierarchy of the single model). */
function hierarchyOf(s: KernelState, v: SemanticVersion, name: string | undefined): Hierarchy | undefined {
  const wanted = name ?? (v.hierarchies === 'single' ? v.singleHierarchyName : undefined);
  return wanted === undefined ? undefined : s.cg.hierarchies.get(wanted);
}
/** The path as the tree keys it, or null when it is not a valid absolute path. */
function keyOf(v: SemanticVersion, path: string): string | null {
  const names = splitPath(path, v.nameMax);
  return names.ok ? joinPath(names.value) : null;
}
const got = (o: Outcome): unknown => ('ret' in o ? { ret: o.ret } : o);

/** The cgroup a path event names, before the event: whether it existed, its parent did, and what was in it. */
interface PathPre {
  ran: boolean;
  hierarchy: string | null;
  key: string | null;
  existed: boolean;
  parentExisted: boolean;
  children: number;
  tasks: number;
}
function pathPre(s: KernelState, v: SemanticVersion, ev: { by: number; hierarchy?: string; path: string }): PathPre {
  const h = hierarchyOf(s, v, ev.hierarchy);
  const key = keyOf(v, ev.path);
  const cg = h && key !== null ? h.cgroups.get(key) : undefined;
  const parentKey = key === null || key === '/' ? null : key.slice(0, key.lastIndexOf('/')) || '/';
  return {
    ran: runnableCaller(s, ev.by) !== undefined,
    hierarchy: h?.name ?? null,
    key,
    existed: cg !== undefined,
    parentExisted: !!h && parentKey !== null && h.cgroups.has(parentKey),
    children: cg?.children.length ?? 0,
    tasks: cg?.taskCount ?? 0,
  };
}

/** Whether the last name of `key` is a control file of its parent: reading it there finds a file. */
function controlFileNamed(s: KernelState, v: SemanticVersion, ev: Ev<'mkdir'>, key: string | null): boolean {
  const caller = s.tasks.get(ev.by);
  if (key === null || key === '/' || !caller) return false;
  const parent = key.slice(0, key.lastIndexOf('/')) || '/';
  const file = key.slice(key.lastIndexOf('/') + 1);
  const r = sysRead({ s, v, calls: null, released: [], record: NO_RECORD }, { op: 'read', by: ev.by, path: parent, file, ...(ev.hierarchy !== undefined ? { hierarchy: ev.hierarchy } : {}) }, caller);
  return !('err' in r && r.err === 'ENOENT');
}

export const MKDIR_POSTCONDITIONS = [
  post<Ev<'mkdir'>, PathPre>({
    id: 'post-mkdir-result',
    doc: "mkdir returns 0 only for a valid path that did not exist under an existing parent, and EEXIST only for a name that existed, as a cgroup or as one of the parent's control files (reference: mkdir; 2.6.33 lookup_create)",
    before: pathPre,
    check(pre, s, v, ev, o) {
      if (!pre.ran) return null;
      if ('ret' in o) return o.ret !== 0 ? `returned ${show(o.ret)}` : pre.existed ? `made ${pre.key}, which existed` : !pre.parentExisted ? `made ${pre.key} without its parent` : null;
      // A failed mkdir changed nothing, so the state after it still shows the parent's files.
      return 'err' in o && o.err === 'EEXIST' && !pre.existed && !controlFileNamed(s, v, ev, pre.key) ? `EEXIST for ${pre.key ?? 'an invalid path'}, which did not exist` : null;
    },
  }),
  post<Ev<'mkdir'>, PathPre>({
    id: 'post-mkdir-made',
    doc: "after a successful mkdir the cgroup exists, empty and without children, among its parent's children (reference: mkdir)",
    before: pathPre,
    check(pre, s, _v, _ev, o) {
      if (!pre.ran || !('ret' in o) || pre.hierarchy === null || pre.key === null) return null;
      const h = s.cg.hierarchies.get(pre.hierarchy);
      const cg = h?.cgroups.get(pre.key);
      if (!h || !cg) return `${pre.hierarchy}:${pre.key} does not exist after mkdir`;
      if (cg.taskCount !== 0 || cg.children.length !== 0) return `${pre.key} has ${cg.taskCount} tasks and ${cg.children.length} children`;
      return cg.parent !== null && h.cgroups.get(cg.parent)?.children.includes(cg.path) ? null : `${pre.key} is not among its parent's children`;
    },
  }),
];

export const RMDIR_POSTCONDITIONS = [
  post<Ev<'rmdir'>, PathPre>({
    id: 'post-rmdir-result',
    doc: 'rmdir returns 0 only for an existing cgroup other than the root with no children and no tasks (reference: mkdir)',
    before: pathPre,
    check(pre, _s, _v, _ev, o) {
      if (!pre.ran || !('ret' in o)) return null;
      if (o.ret !== 0) return `returned ${show(o.ret)}`;
      if (!pre.existed || pre.key === '/') return `removed ${pre.key ?? 'an invalid path'}, which ${pre.existed ? 'is the root' : 'did not exist'}`;
      return pre.children > 0 || pre.tasks > 0 ? `removed ${pre.key} with ${pre.children} children and ${pre.tasks} tasks` : null;
    },
  }),
  post<Ev<'rmdir'>, PathPre>({
    id: 'post-rmdir-removed',
    doc: "after a successful rmdir the cgroup is gone and no longer among its parent's children (reference: mkdir)",
    before: pathPre,
    check(pre, s, _v, _ev, o) {
      if (!pre.ran || !('ret' in o) || pre.hierarchy === null || pre.key === null) return null;
      const h = s.cg.hierarchies.get(pre.hierarchy);
      if (!h) return null;
      if (h.cgroups.has(pre.key)) return `${pre.key} still exists`;
      for (const cg of h.cgroups.values()) if (cg.children.includes(pre.key)) return `${cg.path} still lists ${pre.key} as a child`;
      return null;
    },
  }),
];

interface AttachPre extends PathPre {
  target: number | null;
  /** The pid names a zombie (6.x cgroup_migrate_add_task skips it: success, nothing moves). */
  zombie: boolean;
}
function attachPre(s: KernelState, v: SemanticVersion, ev: Ev<'attach'>): AttachPre {
  const pre = pathPre(s, v, ev);
  const caller = runnableCaller(s, ev.by);
  // pid 0 is the calling thread (`by`), which `tasks` moves alone (reference: threads).
  const g = !caller ? null : ev.pid === 0 ? ev.by : viewToPid(s, caller, ev.pid);
  const t = g === null ? undefined : s.tasks.get(g);
  const dead = t !== undefined && (t.state === 'zombie' || t.leaderExited !== null);
  return { ...pre, target: t && !dead ? t.pid : null, zombie: dead };
}
export const ATTACH_POSTCONDITIONS = [
  post<Ev<'attach'>, AttachPre>({
    id: 'post-attach-result',
    doc: 'attach returns 0 only for an existing cgroup and a live task the caller can name, or under linux-6 a zombie, which does not move (reference: mkdir; 6.x cgroup_migrate_add_task)',
    before: attachPre,
    check(pre, _s, v, _ev, o) {
      if (!pre.ran || !('ret' in o)) return null;
      if (o.ret !== 0) return `returned ${show(o.ret)}`;
      if (!pre.existed) return `attached to ${pre.key}, which does not exist`;
      return pre.target === null && !(pre.zombie && v.zombieAttach === 'noop') ? 'attached a task that is not live' : null;
    },
  }),
  post<Ev<'attach'>, AttachPre>({
    id: 'post-attach-moved',
    doc: "after a successful attach the task's cgroup in that hierarchy is the one named (reference: mkdir)",
    before: attachPre,
    check(pre, s, _v, _ev, o) {
      if (!pre.ran || !('ret' in o) || pre.target === null || pre.hierarchy === null) return null;
      const h = s.cg.hierarchies.get(pre.hierarchy);
      const t = s.tasks.get(pre.target);
      if (!h || !t) return null;
      const cg = taskCgroupIn(s.cg, h, t);
      return cg?.path === pre.key ? null : `task ${t.pid} is in ${pre.hierarchy}:${cg?.path ?? 'nothing'}, not ${pre.key}`;
    },
  }),
];

/** What a successful write of `file` must read back as (the normalised value), or null when the file has no simple read-back. */
function readBack(s: KernelState, v: SemanticVersion, file: string, value: string): ((text: string) => boolean) | null {
  // 6.x cgroup_file_write: a zero-length write returns 0 before any file sees it; nothing to read back.
  if (value === '' && v.zeroLengthWrite === 'noop') return null;
  const base = file.slice(file.lastIndexOf('.') + 1);
  if ((base === 'cpus' || base === 'mems') && file !== 'cgroup.procs') {
    const online = base === 'cpus' ? s.cg.cpusOnline : s.cg.memsOnline;
    const bits = base === 'cpus' ? s.config.possibleCpus : s.config.possibleMems;
    // the empty list prints as an empty line (whatever the version's parser makes of "")
    const parse = (text: string): number[] | null => {
      if (text.trim() === '') return [];
      const r = bitmapParselist(text.trim(), bits);
      return r.ok ? r.value : null;
    };
    const written = parse(value);
    if (!written) return null;
    const want = written.filter((n) => online.has(n)).join(',');
    return (text) => parse(text)?.join(',') === want;
  }
  if (file === 'release_agent') return (text) => text === (v.stripStrings ? value.trim() : value) + '\n';
  return null;
}
interface WritePre extends PathPre {
  check: ((text: string) => boolean) | null;
}
export const WRITE_POSTCONDITIONS = [
  post<Ev<'write'>, PathPre>({
    id: 'post-write-result',
    doc: 'write returns 0 only to a file of an existing cgroup (reference: mkdir)',
    before: pathPre,
    check: (pre, _s, _v, _ev, o) => (!pre.ran || !('ret' in o) ? null : o.ret !== 0 ? `returned ${show(o.ret)}` : pre.existed ? null : `wrote to ${pre.key}, which does not exist`),
  }),
  post<Ev<'write'>, WritePre>({
    id: 'post-write-reads-back',
    doc: 'after a successful write a cpus or mems file reads back as the list written (intersected with the online ones), release_agent as the text written (stripped where the version strips) (reference: mkdir, write)',
    before: (s, v, ev) => ({ ...pathPre(s, v, ev), check: readBack(s, v, ev.file, ev.value) }),
    check(pre, s, v, ev, o) {
      if (!pre.ran || !('ret' in o) || !pre.check) return null;
      const caller = s.tasks.get(ev.by);
      if (!caller) return null;
      const r = sysRead({ s, v, calls: null, released: [], record: NO_RECORD }, { op: 'read', by: ev.by, path: ev.path, file: ev.file, ...(ev.hierarchy !== undefined ? { hierarchy: ev.hierarchy } : {}) }, caller);
      if (!('ret' in r)) return `${ev.file} does not read back: ${show(r)}`;
      return pre.check(String(r.ret)) ? null : `wrote ${show(ev.value)} to ${ev.file}, reads back ${show(r.ret)}`;
    },
  }),
];

/** A cheap fingerprint of the cgroup world, for ops that only read it. */
function worldPrint(s: KernelState): string {
  let n = 0;
  for (const h of s.cg.hierarchies.values()) n += h.cgroups.size;
  return `${s.cg.hierarchies.size}/${n}/${s.cg.cssSets.size}/${s.cg.nextCssSetId}/${s.tasks.size}/${s.injections.length}`;
}
export const READ_POSTCONDITIONS = [
  post<Ev<'read'>, PathPre>({
    id: 'post-read-result',
    doc: "read returns a file's text (a string) only for an existing cgroup (reference: mkdir)",
    before: pathPre,
    check: (pre, _s, _v, _ev, o) => (!pre.ran || !('ret' in o) ? null : typeof o.ret !== 'string' ? `returned ${show(o.ret)}, not text` : pre.existed ? null : `read from ${pre.key}, which does not exist`),
  }),
  post<Ev<'read'>, string>({
    id: 'post-read-reads-only',
    doc: 'read changes nothing (reference: mkdir)',
    before: (s) => worldPrint(s),
    check: (pre, s) => (worldPrint(s) === pre ? null : `the cgroup world changed: ${pre} -> ${worldPrint(s)}`),
  }),
];

// registration (reference: register_subsys, mount)
interface SlotPre {
  ran: boolean;
  registered: boolean;
}
const slotPre = (s: KernelState, _v: SemanticVersion, ev: { by: number; name: string }): SlotPre => ({ ran: runnableCaller(s, ev.by) !== undefined, registered: findSlot(s.cg, ev.name) !== undefined });
function registration(op: 'register_subsys' | 'load_subsys', mode: 'register' | 'modular'): Postcondition<Ev<'register_subsys' | 'load_subsys'>>[] {
  return [
    post<Ev<'register_subsys' | 'load_subsys'>, SlotPre>({
      id: `post-${op.replace('_subsys', '')}-result`,
      doc: `${op} fails with ENOSYS exactly where the version does not register that way, and EEXIST only for a registered subsystem (reference: register_subsys, mount)`,
      before: slotPre,
      check(pre, _s, v, _ev, o) {
        if (!pre.ran) return null;
        const enosys = 'err' in o && o.err === 'ENOSYS';
        if (enosys !== (v.registration !== mode)) return `${show(got(o))} under registration ${v.registration}`;
        return 'err' in o && o.err === 'EEXIST' && !pre.registered ? 'EEXIST for a subsystem not registered' : null;
      },
    }),
    post<Ev<'register_subsys' | 'load_subsys'>, SlotPre>({
      id: `post-${op.replace('_subsys', '')}-slot`,
      doc: `after a successful ${op} the subsystem holds a slot (reference: register_subsys, mount)`,
      before: slotPre,
      check: (pre, s, _v, ev, o) => (!pre.ran || !('ret' in o) || findSlot(s.cg, ev.name) ? null : `${ev.name} holds no slot`),
    }),
  ];
}
export const REGISTER_POSTCONDITIONS = registration('register_subsys', 'register') as Postcondition<Ev<'register_subsys'>>[];
export const LOAD_POSTCONDITIONS = registration('load_subsys', 'modular') as Postcondition<Ev<'load_subsys'>>[];
export const UNLOAD_POSTCONDITIONS = [
  post<Ev<'unload_subsys'>, SlotPre>({
    id: 'post-unload-result',
    doc: 'unload_subsys returns 0 only for a registered subsystem (reference: mount)',
    before: slotPre,
    check: (pre, _s, _v, ev, o) => (!pre.ran || !('ret' in o) ? null : o.ret !== 0 ? `returned ${show(o.ret)}` : pre.registered ? null : `unloaded ${ev.name}, which was not loaded`),
  }),
  post<Ev<'unload_subsys'>, SlotPre>({
    id: 'post-unload-slot',
    doc: 'after a successful unload_subsys the subsystem holds no slot (reference: mount)',
    before: slotPre,
    check: (pre, s, _v, ev, o) => (!pre.ran || !('ret' in o) || !findSlot(s.cg, ev.name) ? null : `${ev.name} still holds slot ${findSlot(s.cg, ev.name)?.id}`),
  }),
];

// mount and umount (reference: register_subsys, mount)
const ranPre = (s: KernelState, _v: SemanticVersion, ev: { by: number }): boolean => runnableCaller(s, ev.by) !== undefined;
export const MOUNT_POSTCONDITIONS = [
  post<Ev<'mount'>, boolean>({
    id: 'post-mount-result',
    doc: 'mount returns 0 or fails (reference: mount)',
    before: ranPre,
    check: (ran, _s, _v, _ev, o) => (!ran || !('ret' in o) || o.ret === 0 ? null : `returned ${show(o.ret)}`),
  }),
  post<Ev<'mount'>, boolean>({
    id: 'post-mount-bound',
    doc: 'after a successful mount the hierarchy exists and every subsystem named is bound to it (reference: mount)',
    before: ranPre,
    check(ran, s, _v, ev, o) {
      if (!ran || !('ret' in o)) return null;
      const h = s.cg.hierarchies.get(ev.hierarchy);
      if (!h) return `hierarchy ${ev.hierarchy} does not exist after mount`;
      for (const name of ev.subsystems ?? []) if (findSlot(s.cg, name)?.hierarchy !== h.name) return `${name} is not bound to ${h.name}`;
      return null;
    },
  }),
];
export const UMOUNT_POSTCONDITIONS = [
  post<Ev<'umount'>, boolean>({
    id: 'post-umount-result',
    doc: 'umount returns 0 or fails (reference: mount)',
    before: ranPre,
    check: (ran, _s, _v, _ev, o) => (!ran || !('ret' in o) || o.ret === 0 ? null : `returned ${show(o.ret)}`),
  }),
  post<Ev<'umount'>, boolean>({
    id: 'post-umount-gone',
    doc: 'after a successful umount the hierarchy is gone and no subsystem is bound to it (reference: mount)',
    before: ranPre,
    check(ran, s, _v, ev, o) {
      if (!ran || !('ret' in o)) return null;
      if (s.cg.hierarchies.has(ev.hierarchy)) return `hierarchy ${ev.hierarchy} still exists`;
      return s.cg.slots.some((x) => x?.hierarchy === ev.hierarchy) ? `a subsystem is still bound to ${ev.hierarchy}` : null;
    },
  }),
];

// hotplug (reference: write)
interface PlugPre {
  installed: boolean;
  online: boolean;
  count: number;
}
function hotplug(resource: 'cpu' | 'mem', down: boolean): Postcondition<Ev<'cpu_down' | 'cpu_up' | 'mem_down' | 'mem_up'>>[] {
  const op = `${resource}_${down ? 'down' : 'up'}`;
  const nOf = (ev: Ev<'cpu_down' | 'cpu_up' | 'mem_down' | 'mem_up'>): number => ('cpu' in ev ? ev.cpu : ev.mem);
  const setOf = (s: KernelState): Set<number> => (resource === 'cpu' ? s.cg.cpusOnline : s.cg.memsOnline);
  const pre = (s: KernelState, _v: SemanticVersion, ev: Ev<'cpu_down' | 'cpu_up' | 'mem_down' | 'mem_up'>): PlugPre => {
    const n = nOf(ev);
    const max = resource === 'cpu' ? s.config.cpus : s.config.mems;
    return { installed: Number.isInteger(n) && n >= 0 && n < max, online: setOf(s).has(n), count: setOf(s).size };
  };
  return [
    post<Ev<'cpu_down' | 'cpu_up' | 'mem_down' | 'mem_up'>, PlugPre>({
      id: `post-${op.replace('_', '-')}-result`,
      doc: `${op} fails with EINVAL exactly for a ${resource} not installed or already ${down ? 'offline' : 'online'}${down ? ', else EBUSY exactly for the last online one' : ''}, else returns 0 (reference: write)`,
      before: pre,
      check(p, _s, _v, _ev, o) {
        const want = !p.installed || p.online !== down ? { err: 'EINVAL' } : down && p.count === 1 ? { err: 'EBUSY' } : { ret: 0 };
        return show(got(o)) === show(want) ? null : `${show(got(o))}, expected ${show(want)}`;
      },
    }),
    post<Ev<'cpu_down' | 'cpu_up' | 'mem_down' | 'mem_up'>, PlugPre>({
      id: `post-${op.replace('_', '-')}-online`,
      doc: `after a successful ${op} the ${resource} is ${down ? 'offline' : 'online'} and no other changed (reference: write)`,
      before: pre,
      check(p, s, _v, ev, o) {
        if (!('ret' in o)) return null;
        const set = setOf(s);
        if (set.has(nOf(ev)) === down) return `${resource} ${nOf(ev)} is still ${down ? 'online' : 'offline'}`;
        return set.size === p.count + (down ? -1 : 1) ? null : `${set.size} ${resource}s online, ${p.count} before`;
      },
    }),
  ];
}
export const CPU_DOWN_POSTCONDITIONS = hotplug('cpu', true) as Postcondition<Ev<'cpu_down'>>[];
export const CPU_UP_POSTCONDITIONS = hotplug('cpu', false) as Postcondition<Ev<'cpu_up'>>[];
export const MEM_DOWN_POSTCONDITIONS = hotplug('mem', true) as Postcondition<Ev<'mem_down'>>[];
export const MEM_UP_POSTCONDITIONS = hotplug('mem', false) as Postcondition<Ev<'mem_up'>>[];

export const INJECT_POSTCONDITIONS = [
  post<Ev<'inject'>, number>({
    id: 'post-inject-result',
    doc: 'inject always returns 0 (reference: inject)',
    before: () => 0,
    check: (_p, _s, _v, _ev, o) => ('ret' in o && o.ret === 0 ? null : `${show(got(o))}, expected {"ret":0}`),
  }),
  post<Ev<'inject'>, number>({
    id: 'post-inject-queued',
    doc: 'after inject the fault is last in the queue, with its point, subsystem, errno and count (reference: inject)',
    before: (s) => s.injections.length,
    check(n, s, _v, ev) {
      const last = s.injections[s.injections.length - 1];
      if (s.injections.length !== n + 1 || !last) return `the queue went from ${n} to ${s.injections.length}`;
      const want = { point: ev.point, subsys: ev.subsys ?? null, err: ev.err, count: ev.count ?? 1 };
      return show(last) === show(want) ? null : `queued ${show(last)}, expected ${show(want)}`;
    },
  }),
];
