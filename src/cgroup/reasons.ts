import { listText, type ReasonArg, type ReasonTable } from '../reducer/reason-def.js';

/**
 * Why a cgroup op failed (docs/reference.md, "Reason codes"): the core's rules (paths, files,
 * mount, registration, hotplug) and the shipped subsystems' (cpuset). Paths are cgroup paths in the
 * hierarchy the event named.
 */

/** The parts of a cpuset state a reason shows. */
interface CpusetLike {
  cpus: readonly number[];
  mems: readonly number[];
  cpuExclusive: boolean;
  memExclusive: boolean;
}
const cs = (x: ReasonArg | undefined): CpusetLike => x as unknown as CpusetLike;
const within = (a: readonly number[], b: readonly number[]): boolean => a.every((x) => b.includes(x));

/** How `p` fails to be `is_cpuset_subset` of `q`: `pName has cpus 0-1, not within qName cpus 0`. */
function notSubset(pName: string, p: CpusetLike, qName: string, q: CpusetLike): string {
  if (typeof p !== 'object' || typeof q !== 'object') return `${pName} ${String(p)} is not within ${qName} ${String(q)}`;
  if (!within(p.cpus, q.cpus)) return `${pName} has cpus ${listText(p.cpus)}, not within ${qName} cpus ${listText(q.cpus)}`;
  if (!within(p.mems, q.mems)) return `${pName} has mems ${listText(p.mems)}, not within ${qName} mems ${listText(q.mems)}`;
  const flag = p.cpuExclusive && !q.cpuExclusive ? 'cpu_exclusive' : 'mem_exclusive';
  return `${pName} is ${flag} but ${qName} setting is not`;
}

export const CGROUP_REASONS = {
  'no-hierarchy': { outcome: 'ENOENT', args: ['hierarchy'], text: (h) => (h === '' ? 'the event names no hierarchy, and this version needs one' : `no hierarchy named ${h} is mounted`) },
  'bad-path': { outcome: 'EINVAL', args: ['path'], text: (p) => `${JSON.stringify(p)} is not an absolute path of names other than "", . and .., each within the version's length limit (nameMax)` },
  'mkdir-root': { outcome: 'EEXIST', args: [], text: () => 'the root cgroup always exists' },
  'no-parent': { outcome: 'ENOENT', args: ['path'], text: (p) => `the parent of ${p} does not exist` },
  'cgroup-exists': { outcome: 'EEXIST', args: ['path'], text: (p) => `${p} already exists` },
  'cgroup-name-is-file': { outcome: 'EEXIST', args: ['name'], text: (n) => `${n} is the name of a control file in the parent cgroup` },
  'no-cgroup': { outcome: 'ENOENT', args: ['path'], text: (p) => `no cgroup ${p}` },
  'rmdir-root': { outcome: 'EBUSY', args: [], text: () => 'the root cgroup cannot be removed' },
  'cgroup-in-use': { outcome: 'EBUSY', args: ['path', 'children', 'tasks'], text: (p, c, t) => `${p} has ${c} child cgroup(s) and ${t} live task(s)` },
  'attach-no-task': { outcome: 'ESRCH', args: ['pid'], text: (p) => `pid ${p} names no live task the caller can see` },
  'no-file': { outcome: 'ENOENT', args: ['file', 'path'], text: (f, p) => `${p} has no file ${JSON.stringify(f)} in this hierarchy` },
  'read-only-file': { outcome: 'EINVAL', args: ['file'], text: (f) => `${f} is read-only` },
  'write-too-long': { outcome: 'E2BIG', args: ['bytes', 'limit'], text: (n, l) => `the value is ${n} bytes; this file takes fewer than ${l}` },
  'bad-pid-text': { outcome: 'EIO or EINVAL', args: ['value'], text: (v) => `${JSON.stringify(v)} is not a pid number` },
  'bad-number': { outcome: 'EINVAL', args: ['value'], text: (v) => `${JSON.stringify(v)} is not an unsigned number (decimal, 0x hex or 0 octal)` },
  'cpulist-syntax': { outcome: 'EINVAL', args: ['value', 'at'], text: (v, at) => `${JSON.stringify(v)} is not a cpu list: bad item at character ${at}` },
  'cpulist-range': { outcome: 'ERANGE', args: ['value', 'number', 'possible'], text: (v, n, k) => `${JSON.stringify(v)} names ${n}, beyond the ${k} possible cpus or mems` },
  'cpulist-bad-region': { outcome: 'EINVAL', args: ['value', 'start', 'end'], text: (v, a, b) => `${JSON.stringify(v)} has a region ${a}-${b} that is reversed or whose used/group is not a fraction` },
  'number-range': { outcome: 'ERANGE', args: ['value'], text: (v) => `${JSON.stringify(v)} is out of range (kstrtox)` },
  'number-overflow': { outcome: 'EOVERFLOW', args: ['value'], text: (v) => `${JSON.stringify(v)} has a number past 32 bits` },
  'cpuset-relax-level': { outcome: 'EINVAL', args: ['value', 'max'], text: (v, m) => `sched_relax_domain_level ${v} is not within -1..${m} (update_relax_domain_level)` },
  'cpuset-top-mask': { outcome: 'EACCES', args: ['resource'], text: (r) => `the top cpuset's ${r} follow the online set and cannot be written` },
  'cpuset-offline': { outcome: 'EINVAL', args: ['resource', 'list', 'online'], text: (r, l, on) => `${r} ${listText(l)} are not all online (online ${listText(on)})` },
  'cpuset-none-online': { outcome: 'ENOSPC', args: ['resource', 'list', 'online'], text: (r, l, on) => `none of ${r} ${listText(l)} is online (online ${listText(on)})` },
  'cpuset-child-not-within': {
    outcome: 'EBUSY', args: ['child', 'path', 'childState', 'trial'],
    text: (c, p, cst, t) => notSubset(String(c), cs(cst), `${p}'s new`, cs(t)),
  },
  'cpuset-not-within-parent': {
    outcome: 'EACCES', args: ['path', 'parent', 'trial', 'parentState'],
    text: (p, q, t, qst) => notSubset(`${p}'s new setting`, cs(t), `its parent ${q}'s`, cs(qst)),
  },
  'cpuset-exclusive-overlap': {
    outcome: 'EINVAL', args: ['path', 'sibling', 'resource', 'shared'],
    text: (p, s, r, x) => `${p} and its sibling ${s} would share ${r} ${listText(x)} while one of them is ${r === 'cpus' ? 'cpu' : 'mem'}_exclusive`,
  },
  'cpuset-empty-with-tasks': { outcome: 'ENOSPC', args: ['path', 'tasks', 'resource'], text: (p, n, r) => `${p} has ${n} live task(s), so its ${r} cannot become empty` },
  'cpuset-cannot-attach': { outcome: 'ENOSPC', args: ['path', 'resource'], text: (p, r) => `cpuset ${p} has no ${r}, so it cannot take tasks` },
  'subsys-refused': { outcome: 'any', args: ['subsys', 'callback', 'path'], text: (s, cb, p) => `subsystem ${s}'s ${cb} refused ${p}` },
  'hotplug-unknown': { outcome: 'EINVAL', args: ['resource', 'number', 'installed'], text: (r, n, k) => `${r} ${n} is not installed (the machine has ${k}, numbered from 0)` },
  'hotplug-already': { outcome: 'EINVAL', args: ['resource', 'number', 'state'], text: (r, n, st) => `${r} ${n} is already ${st}` },
  'hotplug-last': { outcome: 'EBUSY', args: ['resource', 'number'], text: (r, n) => `${r} ${n} is the last one online` },
  'single-hierarchy-name': { outcome: 'EINVAL', args: ['hierarchy', 'single'], text: (h, s) => `this version has one hierarchy, ${s}, always mounted; there is no ${h}` },
  'single-hierarchy-set': { outcome: 'EINVAL', args: ['single', 'registered'], text: (s, r) => `${s} is mounted with the registered subsystems (${r}) and cannot be mounted with others` },
  'single-hierarchy-umount': { outcome: 'EINVAL', args: ['single'], text: (s) => `${s} is always mounted` },
  'mount-empty-name': { outcome: 'EINVAL', args: [], text: () => 'a hierarchy needs a non-empty name' },
  'subsys-unknown': { outcome: 'ENOENT', args: ['subsys'], text: (s) => `no subsystem ${s} is registered or loaded` },
  'subsys-unknown-name': { outcome: 'EINVAL', args: ['subsys'], text: (s) => `unknown subsys name ${s} (6.x cgroup1_parse_param)` },
  'noprefix-subsys': { outcome: 'EINVAL', args: ['subsys'], text: (s) => `noprefix is only for cpuset, not ${s}` },
  'hierarchy-other-set': { outcome: 'EBUSY', args: ['hierarchy', 'subsystems'], text: (h, x) => `hierarchy ${h} is already mounted with subsystems (${x})` },
  'subsys-bound': { outcome: 'EBUSY', args: ['subsys', 'hierarchy'], text: (s, h) => `subsystem ${s} is bound to hierarchy ${h}` },
  'umount-unknown': { outcome: 'EINVAL', args: ['hierarchy'], text: (h) => `no hierarchy named ${h} is mounted` },
  'umount-children': { outcome: 'EBUSY', args: ['hierarchy', 'children'], text: (h, n) => `hierarchy ${h} still has ${n} child cgroup(s) of its root` },
  'registration-other': { outcome: 'ENOSYS', args: ['op', 'version'], text: (o, v) => `${o} does not exist under ${v}` },
  'register-after-mkdir': { outcome: 'EBUSY', args: ['containers'], text: (n) => `${n} container(s) besides the top exist; subsystems register before any` },
  'subsys-slots-full': { outcome: 'ENOSPC', args: ['slots'], text: (n) => `all ${n} subsystem slots are taken` },
  'subsys-registered': { outcome: 'EEXIST', args: ['subsys'], text: (s) => `subsystem ${s} is already registered` },
  'subsys-no-plugin': { outcome: 'ENOENT', args: ['subsys'], text: (s) => `no subsystem named ${s} is shipped` },
  'subsys-bad-name': { outcome: 'EINVAL', args: ['subsys'], text: (s) => `subsystem name ${JSON.stringify(s)} is empty or longer than 32 bytes` },
  'subsys-not-modular': { outcome: 'EINVAL', args: ['subsys'], text: (s) => `subsystem ${s} lacks create or destroy, so it cannot be loaded` },
  'subsys-fork-exit': { outcome: 'EINVAL', args: ['subsys'], text: (s) => `a loadable subsystem (${s}) cannot have fork or exit callbacks` },
  'subsys-loaded': { outcome: 'EEXIST', args: ['subsys'], text: (s) => `subsystem ${s} is already loaded` },
  'subsys-no-slot': { outcome: 'EBUSY', args: ['slots'], text: (n) => `no free subsystem slot below ${n}` },
  'subsys-not-loaded': { outcome: 'EINVAL', args: ['subsys'], text: (s) => `subsystem ${s} is not loaded` },
  'subsys-builtin': { outcome: 'EINVAL', args: ['subsys'], text: (s) => `subsystem ${s} is builtin and cannot be unloaded` },
} satisfies ReasonTable;
