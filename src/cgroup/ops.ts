import { defineOp } from '../reducer/op.js';
import { ATTACH_POSTCONDITIONS, CPU_DOWN_POSTCONDITIONS, CPU_UP_POSTCONDITIONS, INJECT_POSTCONDITIONS, LOAD_POSTCONDITIONS, MEM_DOWN_POSTCONDITIONS, MEM_UP_POSTCONDITIONS, MKDIR_POSTCONDITIONS, MOUNT_POSTCONDITIONS, READ_POSTCONDITIONS, REGISTER_POSTCONDITIONS, RMDIR_POSTCONDITIONS, UMOUNT_POSTCONDITIONS, UNLOAD_POSTCONDITIONS, WRITE_POSTCONDITIONS } from './cgroup.post.js';
import type { KernelState } from '../state/types.js';
import type { Event, InjectEvent, SubsysName } from '../trace/schema-types.js';
import { badName, cgroupPath, fileFor, hierarchyOf, missingPlugins, PLUGINS, valueFor, withH } from '../workload/cgroup.js';
import { byOf, caller, callerTask, FAULT_ERRNOS, type Gen, HIER_NAMES, hotplugArg, NAMES, targetPid } from '../workload/gen.js';
import { boundAfterOthers, cgroupPaths, childPath, exclusiveSiblingWrites, filePrefix, hierarchies, pick, pickOr, subsystems } from '../workload/pick.js';
import { sysAttach } from './handlers.js';
import type { CpusetState } from './subsystems/cpuset.js';
import type { Hierarchy, InjectPoint } from './types.js';
import { sysMkdir, sysRmdir } from './dir.js';
import { sysRead, sysWrite } from './files.js';
import { sysCpuDown, sysCpuUp, sysMemDown, sysMemUp } from './hotplug.js';
import { sysInject } from './inject.js';
import { sysMount, sysUmount } from './mount.js';
import { sysLoadSubsys, sysRegisterSubsys, sysUnloadSubsys } from './register.js';

/**
 * The cgroup ops (reference: Operations; seeds 001 and 003, 2.6.18 cpusets, 2.6.33 cgroups), each defined once
 * (src/reducer/op.ts). Their outcomes depend on the version's hierarchy model at least, so two
 * versions with different hierarchy models do not agree on them.
 */

export const mkdirOp = defineOp({
  name: 'mkdir',
  env: false,
  handler: sysMkdir,
  post: MKDIR_POSTCONDITIONS,
  models: 'seed 001 container_mkdir, 2.6.33 cgroup_mkdir: every subsystem\'s create in call order, unwound on failure',
  returns: "0",
  effect: 'scoped',
  rules: ['hierarchies', 'callOrder', 'createUnwind', 'cssSets', 'cloneChildrenFile', 'nameMax'],
  // 7.2: hierarchy or parent missing, exists, bad name
  errnos: ['ESRCH', 'ENOENT', 'EEXIST', 'EINVAL'],
  reasons: ['no-hierarchy', 'bad-path', 'mkdir-root', 'no-parent', 'cgroup-exists', 'cgroup-name-is-file', 'injected'],
  injected: ['ENOMEM'],
  gen: [{ weight: 8, focus: 8, make: genMkdir }],
});

export const attachOp = defineOp({
  name: 'attach',
  env: false,
  handler: sysAttach,
  post: ATTACH_POSTCONDITIONS,
  models: 'seed 001 attach_task, 2.6.33 cgroup_attach_task: can_attach in call order, then attach',
  returns: "0",
  args: { pid: "the task to move (caller's view), 0 for the caller" },
  effect: 'scoped',
  rules: ['hierarchies', 'callOrder', 'postAttach', 'reattachRunsCallbacks', 'emptyWithTasks', 'zombieAttach', 'nameMax', 'affinityOnCpusetChange'],
  // 7.2; 7.3 cpuset can_attach
  errnos: ['ESRCH', 'ENOENT', 'ENOSPC', 'EINVAL'],
  reasons: ['no-hierarchy', 'bad-path', 'no-cgroup', 'attach-no-task', 'cpuset-cannot-attach', 'injected'],
  injected: ['ENOMEM'],
  gen: [{ weight: 6, focus: 6, make: (g) => { const t = caller(g); const me = callerTask(g, t); const { h, name } = hierarchyOf(g);
    const sel = g.next(); const pid = sel % 4 === 0 ? 0 : targetPid(g, me, (x) => x.state !== 'zombie' || g.bad);
    return withH({ op: 'attach', by: byOf(t), path: cgroupPath(g, h), pid }, name); } }],
});

export const writeOp = defineOp({
  name: 'write',
  env: false,
  handler: sysWrite,
  post: WRITE_POSTCONDITIONS,
  models: 'seed 001 container_file_write, 2.6.33 cgroup_file_write; the file\'s own rules (cpuset update_cpumask, validate_change)',
  returns: "0 (not a byte count)",
  args: { file: "control file name, e.g. `tasks`, `notify_on_release`, `cpuset.cpus` (2009) or `cpus` (2006 and noprefix)", value: "the text written" },
  effect: 'scoped',
  rules: [
    'hierarchies', 'numberParsing', 'tasksParseErrno', 'filePrefix', 'writeSizeLimit', 'stripStrings', 'releaseAgentFile', 'maskWrite', 'emptyWithTasks',
    'listSyntax', 'zeroLengthWrite', 'procsWritable', 'zombieAttach', 'nrCpus', 'effectiveFiles', 'cloneChildrenFile', 'cpusetV1Files', 'nameMax',
    'affinityOnCpusetChange',
  ],
  // 7.2, 7.3; linux-6: a list number past 32 bits (6.x bitmap_getnum)
  errnos: ['ESRCH', 'ENOENT', 'EINVAL', 'ERANGE', 'EBUSY', 'EACCES', 'ENOSPC', 'E2BIG', 'EIO', { errno: 'EOVERFLOW', if: { listSyntax: 'regions' } }],
  reasons: [
    'no-hierarchy', 'bad-path', 'no-cgroup', 'no-file', 'write-too-long', 'read-only-file', 'bad-pid-text', 'attach-no-task', 'cpuset-cannot-attach',
    { reason: 'bad-number', if: { numberParsing: 'strict' } }, { reason: 'bad-number', if: { numberParsing: 'kstrtox' } }, { reason: 'number-range', if: { numberParsing: 'kstrtox' } },
    'cpulist-syntax', 'cpulist-range', { reason: 'cpulist-bad-region', if: { listSyntax: 'regions' } }, { reason: 'number-overflow', if: { listSyntax: 'regions' } },
    { reason: 'cpuset-none-online', if: { maskWrite: 'intersect-online' } }, { reason: 'cpuset-top-mask', if: { maskWrite: 'within-online' } }, { reason: 'cpuset-offline', if: { maskWrite: 'within-online' } },
    'cpuset-child-not-within', 'cpuset-not-within-parent', 'cpuset-exclusive-overlap', { reason: 'cpuset-empty-with-tasks', if: { emptyWithTasks: 'ENOSPC' } },
    { reason: 'cpuset-relax-level', if: { cpusetV1Files: true } }, 'injected',
  ],
  gen: [
    { weight: 9, focus: 9, make: genWrite },
    { weight: 4, focus: 30, when: (g) => !g.bad && cpusetHierarchy(g.s) !== undefined, make: genCpusetWrite },
  ],
});

export const readOp = defineOp({
  name: 'read',
  env: false,
  handler: sysRead,
  post: READ_POSTCONDITIONS,
  models: 'seed 001 container_file_read, 2.6.33 cgroup_file_read: the text exactly as the kernel prints it',
  returns: "the file's text exactly as the kernel prints it, newline included: `\"0-2,5\\n\"`, `\"\\n\"` for an empty list, `\"1\\n\"` for a flag; `tasks` is one pid per line in the caller's view",
  args: { file: "control file name" },
  effect: 'none',
  rules: ['hierarchies', 'filePrefix', 'releaseAgentFile', 'effectiveFiles', 'cloneChildrenFile', 'nameMax'],
  errnos: ['ESRCH', 'ENOENT', 'EINVAL'],
  reasons: ['no-hierarchy', 'bad-path', 'no-cgroup', 'no-file'],
  gen: [{ weight: 3, focus: 3, make: (g) => { const t = caller(g); const { h, name } = hierarchyOf(g);
    return withH({ op: 'read', by: byOf(t), path: cgroupPath(g, h), file: fileFor(g, h).file }, name); } }],
});

export const rmdirOp = defineOp({
  name: 'rmdir',
  env: false,
  handler: sysRmdir,
  post: RMDIR_POSTCONDITIONS,
  models: 'seed 001 container_rmdir, 2.6.33 cgroup_rmdir: the root, children or live tasks → EBUSY',
  returns: "0",
  effect: 'scoped',
  rules: ['hierarchies', 'callOrder', 'nameMax'],
  errnos: ['ESRCH', 'ENOENT', 'EBUSY', 'EINVAL'],
  reasons: ['no-hierarchy', 'bad-path', 'rmdir-root', 'no-cgroup', 'cgroup-in-use'],
  gen: [{ weight: 4, focus: 4, make: (g) => { const t = caller(g); const { h, name } = hierarchyOf(g);
    const path = g.bad && g.c.c % 3 === 0 ? pickOr(['/', ...(h ? cgroupPaths(h) : [])], g.c.b, '/') : cgroupPath(g, h, true);
    return withH({ op: 'rmdir', by: byOf(t), path }, name); } }],
});

export const mountOp = defineOp({
  name: 'mount',
  env: false,
  handler: sysMount,
  post: MOUNT_POSTCONDITIONS,
  models: '2.6.33 cgroup_get_sb (reference: register_subsys, mount); seed 001: the one `container` hierarchy; 6.x cgroup1_get_tree',
  returns: "0",
  args: { subsystems: "subsystems to bind; omitted: every registered one; `[]`: a named hierarchy with none", noprefix: "control files without the subsystem prefix (cpuset only)" },
  effect: 'wholesale',
  rules: ['hierarchies', 'unknownSubsys'],
  errnos: ['ESRCH', 'EINVAL', 'ENOENT', 'EBUSY'],
  reasons: [{ reason: 'single-hierarchy-name', if: { hierarchies: 'single' } }, { reason: 'single-hierarchy-set', if: { hierarchies: 'single' } }, { reason: 'mount-empty-name', if: { hierarchies: 'multi' } }, { reason: 'subsys-unknown', if: { hierarchies: 'multi', unknownSubsys: 'ENOENT' } }, { reason: 'subsys-unknown-name', if: { hierarchies: 'multi', unknownSubsys: 'EINVAL' } }, { reason: 'noprefix-subsys', if: { hierarchies: 'multi' } }, { reason: 'hierarchy-other-set', if: { hierarchies: 'multi' } }, { reason: 'subsys-bound', if: { hierarchies: 'multi' } }],
  gen: [{ weight: 3, focus: 2, make: genMount }],
});

export const umountOp = defineOp({
  name: 'umount',
  env: false,
  handler: sysUmount,
  post: UMOUNT_POSTCONDITIONS,
  models: '2.6.33 cgroup_kill_sb (reference: mount): the subsystems return to the dummy root',
  returns: "0",
  effect: 'wholesale',
  rules: ['hierarchies'],
  errnos: ['ESRCH', 'EINVAL', 'EBUSY'],
  reasons: [{ reason: 'single-hierarchy-umount', if: { hierarchies: 'single' } }, { reason: 'umount-unknown', if: { hierarchies: 'multi' } }, { reason: 'umount-children', if: { hierarchies: 'multi' } }],
  gen: [{ weight: 1, focus: 1, make: (g) => { const t = caller(g); const hs = hierarchies(g.s).map((h) => h.name);
    return { op: 'umount', by: byOf(t), hierarchy: g.bad ? pickOr(HIER_NAMES, g.c.b, 'x') + (g.c.b % 2 ? 'x' : '') : pickOr(hs, g.c.b, 'h1') }; } }],
});

export const registerSubsysOp = defineOp({
  name: 'register_subsys',
  env: false,
  handler: sysRegisterSubsys,
  post: REGISTER_POSTCONDITIONS,
  models: 'seed 001 container_register_subsys (reference: register_subsys)',
  returns: "0",
  args: { name: "a shipped subsystem plugin: cpuset, net_cls, debug, faulty" },
  effect: 'wholesale',
  rules: ['registration'],
  errnos: ['ESRCH', 'EBUSY', 'ENOSPC', 'EEXIST', 'ENOENT', { errno: 'ENOSYS', if: { registration: 'modular' } }, { errno: 'ENOSYS', if: { registration: 'builtin' } }],
  reasons: [{ reason: 'registration-other', if: { registration: 'modular' } }, { reason: 'registration-other', if: { registration: 'builtin' } }, ...(['register-after-mkdir', 'subsys-slots-full', 'subsys-registered', 'subsys-no-plugin', 'injected'] as const).map((reason) => ({ reason, if: { registration: 'register' } } as const))],
  gen: [{ weight: 3, focus: 2, make: genRegister }],
});

export const loadSubsysOp = defineOp({
  name: 'load_subsys',
  env: false,
  handler: sysLoadSubsys,
  post: LOAD_POSTCONDITIONS,
  models: 'seed 003 cgroup_load_subsys (reference: mount)',
  returns: "0",
  args: { name: "the subsystem plugin to load", fork: "ask for fork callbacks (refused)", exit: "ask for exit callbacks (refused)" },
  effect: 'wholesale',
  rules: ['registration'],
  errnos: ['ESRCH', 'EINVAL', 'EEXIST', 'ENOENT', 'EBUSY', { errno: 'ENOSYS', if: { registration: 'register' } }, { errno: 'ENOSYS', if: { registration: 'builtin' } }],
  reasons: [{ reason: 'registration-other', if: { registration: 'register' } }, { reason: 'registration-other', if: { registration: 'builtin' } }, ...(['subsys-bad-name', 'subsys-not-modular', 'subsys-fork-exit', 'subsys-loaded', 'subsys-no-plugin', 'subsys-no-slot', 'injected'] as const).map((reason) => ({ reason, if: { registration: 'modular' } } as const))],
  gen: [{ weight: 3, focus: 2, make: genLoad }],
});

export const unloadSubsysOp = defineOp({
  name: 'unload_subsys',
  env: false,
  handler: sysUnloadSubsys,
  post: UNLOAD_POSTCONDITIONS,
  models: 'seed 003 cgroup_unload_subsys (reference: mount)',
  returns: "0",
  args: { name: "the loaded subsystem to unload" },
  effect: 'wholesale',
  rules: ['registration'],
  errnos: ['ESRCH', 'EINVAL', 'EBUSY', { errno: 'ENOSYS', if: { registration: 'register' } }, { errno: 'ENOSYS', if: { registration: 'builtin' } }],
  reasons: [{ reason: 'registration-other', if: { registration: 'register' } }, { reason: 'registration-other', if: { registration: 'builtin' } }, ...(['subsys-not-loaded', 'subsys-builtin', 'subsys-bound'] as const).map((reason) => ({ reason, if: { registration: 'modular' } } as const))],
  gen: [{ weight: 3, focus: 3, make: (g) => { const t = caller(g); const subs = subsystems(g.s);
    const names = g.bad ? [...subs.filter((x) => x.builtin).map((x) => x.name), 'bogus'] : subs.filter((x) => !x.builtin).map((x) => x.name);
    return { op: 'unload_subsys', by: byOf(t), name: pickOr(names, g.c.b, 'net_cls') }; } }],
});

export const cpuDownOp = defineOp({
  name: 'cpu_down',
  env: true,
  handler: sysCpuDown,
  post: CPU_DOWN_POSTCONDITIONS,
  models: '2.6.18 cpuset hotplug (guarantee_online_cpus); 2.6.33 scan_for_empty_cpusets (reference: write)',
  returns: "0",
  args: { cpu: "an installed cpu, 0..cpus-1" },
  effect: 'wholesale',
  rules: ['hotplug'],
  errnos: ['EINVAL', 'EBUSY'],
  reasons: ['hotplug-unknown', 'hotplug-already', 'hotplug-last'],
  gen: [{ weight: 2, focus: 2, make: (g) => ({ op: 'cpu_down', cpu: hotplugArg(g, g.s.cg.cpusOnline, g.s.config.cpus, true) }) }],
});

export const cpuUpOp = defineOp({
  name: 'cpu_up',
  env: true,
  handler: sysCpuUp,
  post: CPU_UP_POSTCONDITIONS,
  models: '2.6.18 / 2.6.33 cpuset hotplug (reference: write)',
  returns: "0",
  args: { cpu: "an installed cpu, 0..cpus-1" },
  effect: 'wholesale',
  rules: ['hotplug'],
  errnos: ['EINVAL'],
  reasons: ['hotplug-unknown', 'hotplug-already'],
  gen: [{ weight: 2, focus: 2, make: (g) => ({ op: 'cpu_up', cpu: hotplugArg(g, g.s.cg.cpusOnline, g.s.config.cpus, false) }) }],
});

export const memDownOp = defineOp({
  name: 'mem_down',
  env: true,
  handler: sysMemDown,
  post: MEM_DOWN_POSTCONDITIONS,
  models: '2.6.18 cpuset hotplug (guarantee_online_mems); 2.6.33 scan_for_empty_cpusets (reference: write)',
  returns: "0",
  args: { mem: "an installed memory node, 0..mems-1" },
  effect: 'wholesale',
  rules: ['hotplug'],
  errnos: ['EINVAL', 'EBUSY'],
  reasons: ['hotplug-unknown', 'hotplug-already', 'hotplug-last'],
  gen: [{ weight: 1, focus: 1, make: (g) => ({ op: 'mem_down', mem: hotplugArg(g, g.s.cg.memsOnline, g.s.config.mems, true) }) }],
});

export const memUpOp = defineOp({
  name: 'mem_up',
  env: true,
  handler: sysMemUp,
  post: MEM_UP_POSTCONDITIONS,
  models: '2.6.18 / 2.6.33 cpuset hotplug (reference: write)',
  returns: "0",
  args: { mem: "an installed memory node, 0..mems-1" },
  effect: 'wholesale',
  rules: ['hotplug'],
  errnos: ['EINVAL'],
  reasons: ['hotplug-unknown', 'hotplug-already'],
  gen: [{ weight: 1, focus: 1, make: (g) => ({ op: 'mem_up', mem: hotplugArg(g, g.s.cg.memsOnline, g.s.config.mems, false) }) }],
});

/**
 * `inject` (reference: inject) at one of `points`; a create/can_attach fault mostly names a subsystem called
 * after others in its hierarchy, so that the failure has creates to unwind (or attaches to skip).
 */
const genInject = (points: readonly InjectPoint[]) => (g: Gen): Event => {
  const sel = g.next(); const point = pickOr(points, sel, 'create');
  const subs = subsystems(g.s).map((x) => x.name);
  const ev: InjectEvent = { op: 'inject', point, err: pickOr(FAULT_ERRNOS, sel >> 2, 'ENOMEM') };
  const after = boundAfterOthers(g.s);
  // Plugin names come from registered plugins (SUBSYSTEMS), which the schema's subsys enum lists.
  if (point !== 'fork' && (sel >> 5) % 4 !== 0) ev.subsys = pickOr<string>(after.length && (sel >> 7) % 4 !== 0 ? after : [...subs, 'faulty'], sel >> 9, 'cpuset') as SubsysName;
  if ((sel >> 11) % 3 === 0) ev.count = 2;
  return ev;
};

export const injectOp = defineOp({
  name: 'inject',
  env: true,
  handler: sysInject,
  post: INJECT_POSTCONDITIONS,
  models: 'reference: inject fault injection: queues a failure of a fork, create or can_attach; always 0',
  returns: "0",
  args: { point: "`create`, `can_attach` or `fork`", subsys: "only calls of this subsystem (create, can_attach); absent: any", err: "the errno the call fails with", count: "how many calls fail (default 1)" },
  effect: 'none',
  errnos: [],
  gen: [
    { weight: 4, faults: true, make: genInject(['create', 'can_attach', 'fork']) },
    // cgroup-focused runs inject only where cgroup ops fail
    { focus: 8, faults: true, make: genInject(['create', 'can_attach', 'create']) },
  ],
});

/** The first mounted hierarchy with cpuset bound. */
const cpusetHierarchy = (s: KernelState): Hierarchy | undefined => hierarchies(s).find((x) => x.subsystems.includes('cpuset'));

/**
 * A write to a cpuset file of a non-top cpuset, with a value taken from its parent or a sibling
 * half the time: the sequences validate_change judges (exclusive siblings that would overlap,
 * children outside a trial) are otherwise too rare to reach. Needs a cpuset hierarchy (its
 * precondition, with a well-formed event).
 */
function genCpusetWrite(g: Gen): Event {
  const h = cpusetHierarchy(g.s) as Hierarchy;
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
  return withH({ op: 'write', by: byOf(t), path, file, value: valueFor(g, file, 'cpuset', me, h, path) }, name);
}

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

export function genMkdir(g: Gen): Event {
  const by = caller(g); const { h, name } = hierarchyOf(g); const sel = g.next();
  // half of new cgroups go under the top, so that siblings (and their exclusive rules) are common
  const parent = h && (sel >> 10) % 2 !== 0 ? pickOr(cgroupPaths(h).filter((p) => p.split('/').length < 5), sel, '/') : '/';
  // a good mkdir mostly takes a name its parent does not have yet (EEXIST the rest of the time)
  const taken = new Set(h?.cgroups.get(parent)?.children ?? []);
  const fresh = NAMES.filter((n) => !taken.has(childPath(parent, n)));
  // a wrong name is one the path rules refuse, or a control file's name in the parent (cgroup-name-is-file)
  const nm = g.bad && sel % 3 === 0 ? ((sel >> 12) % 4 === 0 ? 'tasks' : badName(sel >> 2)) : pickOr(!g.bad && (sel >> 12) % 4 !== 0 && fresh.length ? fresh : NAMES, sel >> 2, 'a');
  const path = g.bad && sel % 3 === 1 ? childPath('/missing', nm) : childPath(parent, nm);
  return withH({ op: 'mkdir', by: byOf(by), path }, name);
}

function genWrite(g: Gen): Event {
  const t = caller(g); const me = callerTask(g, t); const { h, name } = hierarchyOf(g);
  const path = cgroupPath(g, h); const { file, subsys } = fileFor(g, h);
  return withH({ op: 'write', by: byOf(t), path, file, value: valueFor(g, file, subsys, me, h, path) }, name);
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
    // and now and then a hierarchy without a name (mount-empty-name)
    return { op: 'mount', by, hierarchy: k === 0 && (sel >> 12) % 3 === 0 ? '' : hierarchy, subsystems: names };
  }
  const k = sel % 5;
  if (k === 0) return { op: 'mount', by, hierarchy };
  const chosen = free.filter((_, i) => ((sel >> (5 + i)) & 1) === 1 || k === 1);
  const ev: Event = { op: 'mount', by, hierarchy, subsystems: k === 4 ? [] : chosen };
  if ((sel >> 12) % 2) ev.noprefix = true;
  return ev;
}

