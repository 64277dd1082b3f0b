import type { Op } from '../reducer/context.js';
import type { Errno } from '../reducer/outcome.js';
import type { Coverage } from './coverage.js';

/**
 * Every errno SPEC.md lists for every operation (sections 1.4, 5–8), which the default campaign
 * must reach. Every task op also has ESRCH for a caller that is no live task (SPEC 1.4); kernel
 * errors that only `inject` can cause are in INJECTED_ERRNOS.
 */
export const SPEC_ERRNOS: Record<Op, readonly Errno[]> = {
  fork: ['ESRCH', 'EINVAL', 'EEXIST', 'EAGAIN'], // 5.2: node/pid/vpid checks, pid in use / alloc_vpid, pidmap full
  exit: ['ESRCH', 'EPERM'], // 5.3: global init
  wait: ['ESRCH', 'ECHILD'], // 5.4
  kill: ['ESRCH', 'EINVAL'], // 5.5: empty target set, bad signal
  signal: ['ESRCH', 'EINVAL'], // 5.5: SIGKILL/SIGSTOP not default, bad signal
  setpgid: ['ESRCH', 'EINVAL', 'EPERM', 'EACCES'], // 5.6
  setsid: ['ESRCH', 'EPERM'], // 5.6
  getpid: ['ESRCH'],
  getppid: ['ESRCH'],
  getpgid: ['ESRCH'],
  getsid: ['ESRCH'],
  exec: ['ESRCH'],
  ptrace: ['ESRCH', 'EPERM', 'EIO'], // 5.7
  node_down: ['EINVAL'], // 6
  node_up: ['EINVAL'],
  migrate: ['ESRCH', 'EINVAL', 'EPERM'],
  mkdir: ['ESRCH', 'ENOENT', 'EEXIST', 'EINVAL'], // 7.2: hierarchy/parent missing, exists, bad name
  rmdir: ['ESRCH', 'ENOENT', 'EBUSY', 'EINVAL'],
  attach: ['ESRCH', 'ENOENT', 'ENOSPC', 'EINVAL'], // 7.2, 7.3 cpuset canAttach
  write: ['ESRCH', 'ENOENT', 'EINVAL', 'ERANGE', 'EBUSY', 'EACCES', 'ENOSPC', 'E2BIG', 'EIO'], // 7.2, 7.3
  read: ['ESRCH', 'ENOENT', 'EINVAL'],
  register_subsys: ['ESRCH', 'EBUSY', 'ENOSPC', 'EEXIST', 'ENOENT', 'ENOSYS'], // 7.4 (ENOSYS in 2009)
  mount: ['ESRCH', 'EINVAL', 'ENOENT', 'EBUSY'], // 7.4, 7.5
  umount: ['ESRCH', 'EINVAL', 'EBUSY'],
  load_subsys: ['ESRCH', 'EINVAL', 'EEXIST', 'ENOENT', 'EBUSY', 'ENOSYS'], // 7.5 (ENOSYS in 2006)
  unload_subsys: ['ESRCH', 'EINVAL', 'EBUSY', 'ENOSYS'],
  cpu_down: ['EINVAL', 'EBUSY'], // 7.3 hotplug
  cpu_up: ['EINVAL'],
  mem_down: ['EINVAL', 'EBUSY'],
  mem_up: ['EINVAL'],
  inject: [], // 7.6: always 0
  vps_create: ['ESRCH', 'EPERM', 'EINVAL', 'EEXIST', 'ENOSYS', 'EAGAIN'], // 8.1 (+ fork's EAGAIN; ENOSYS with pidVirt none)
  vps_enter: ['ESRCH', 'EPERM', 'ENOENT', 'EINVAL', 'ENOSYS', 'EAGAIN'],
  vps_checkpoint: ['ESRCH', 'EPERM', 'ENOENT', 'EEXIST', 'ENOSYS'], // 8.4
  vps_restore: ['ESRCH', 'EPERM', 'EINVAL', 'EEXIST', 'ENOENT', 'ENOSYS', 'EAGAIN'],
};

/** Failures only `inject` causes (SPEC 7.6): the fork point, and create/can_attach of a subsystem. */
export const INJECTED_ERRNOS: Partial<Record<Op, readonly Errno[]>> = {
  fork: ['ENOMEM'],
  mkdir: ['ENOMEM'],
  attach: ['ENOMEM'],
};

/** The (op, outcome) pairs a campaign must reach: `ret` for every op it generates, and every listed errno. */
export function requiredPairs(faults: boolean): [Op, string][] {
  const out: [Op, string][] = [];
  for (const op of Object.keys(SPEC_ERRNOS) as Op[]) {
    if (op === 'inject' && !faults) continue;
    out.push([op, 'ret']);
    for (const e of SPEC_ERRNOS[op]) out.push([op, e]);
    if (faults) for (const e of INJECTED_ERRNOS[op] ?? []) out.push([op, e]);
  }
  return out;
}

/** Required pairs the campaign did not reach, as `op errno`. */
export function missingCoverage(c: Coverage, faults: boolean): string[] {
  return requiredPairs(faults)
    .filter(([op, o]) => !c.has(op, o))
    .map(([op, o]) => `${op} ${o}`);
}
