import { parseCpus } from '../cgroup/cpulist.js';
import type { Event, Expect } from '../trace/schema-types.js';

/**
 * How one event is recorded: a command line for the executor, an answer the recorder gives
 * without the kernel (the mapped `mount`), or a refusal naming why a live kernel cannot run it.
 */
export type Step = { cmd: string } | { local: Expect } | { refuse: string };

/** What planning remembers between events: the hierarchy name the trace mounted cpuset as. */
export interface PlanState {
  noprefix: boolean;
  hierarchy: string | null;
}

const INT32 = 2 ** 31 - 1;

/** Strings travel as hex ("-" for empty), so any byte of a value reaches the kernel unchanged. */
export const hex = (s: string): string => (s === '' ? '-' : Buffer.from(s, 'utf8').toString('hex'));

class Refuse extends Error {}

function int(_ev: Event, field: string, value: number | undefined, dflt: number): number {
  const v = value ?? dflt;
  if (v < -INT32 - 1 || v > INT32) throw new Refuse(`${field} ${v} does not fit the system call's int argument`);
  return v;
}

const by = (ev: Event & { by: number }): number => int(ev, 'by', ev.by, 0);

/** A cgroup path the sandbox can map: "/" or "/a/b" with no empty, "." or ".." name. */
function cgroupPath(st: PlanState, ev: { hierarchy?: string; path: string }): string {
  if (st.hierarchy === null) throw new Refuse(`no cpuset hierarchy is mounted yet (record maps one mount of cpuset onto the kernel's)`);
  if (ev.hierarchy !== st.hierarchy) throw new Refuse(`hierarchy ${JSON.stringify(ev.hierarchy ?? '')} is not the cpuset hierarchy this trace mounted (${JSON.stringify(st.hierarchy)})`);
  const p = ev.path;
  const names = p.split('/').slice(1);
  if (!p.startsWith('/') || p.length > 2048 || p.includes('\0') || (p !== '/' && names.some((n) => n === '' || n === '.' || n === '..'))) {
    throw new Refuse(`path ${JSON.stringify(p)} is not a plain absolute cgroup path, the only kind the sandbox maps`);
  }
  return p;
}

function fileName(f: string): string {
  if (f === '' || f.includes('/') || f.includes('\0') || f === '.' || f === '..') throw new Refuse(`file ${JSON.stringify(f)} is not a file name`);
  return f;
}

/** Files of the real top cpuset that the sandbox root does not have, or has with other values. */
function topOnly(st: PlanState, file: string): boolean {
  const p = st.noprefix ? '' : 'cpuset.';
  return [`${p}cpu_exclusive`, `${p}mem_exclusive`, `${p}memory_pressure_enabled`, 'release_agent', 'cgroup.sane_behavior'].includes(file);
}

/** Files the sandbox may write at its root ("/"): the root's own membership and release flag. */
const ROOT_WRITABLE = ['tasks', 'cgroup.procs', 'notify_on_release'];

const refuse = (why: string): never => {
  throw new Refuse(why);
};

type Planner<E> = (ev: E, st: PlanState) => Step;
type Planners = { [K in Event['op']]: Planner<Extract<Event, { op: K }>> };

const PTRACE_REQUESTS = ['attach', 'traceme', 'detach', 'cont'] as const;

/** One entry per op: TypeScript fails the build when an op is added and not planned here. */
const PLANNERS: Planners = {
  fork: (ev) => {
    if (ev.vpid !== undefined) refuse('vpid: OpenVZ virtual pids do not exist on Linux');
    if (ev.node !== undefined) refuse('node: cluster nodes (OpenSSI) do not exist on Linux');
    const how = ev.pid !== undefined ? 1 : 0;
    return { cmd: `fork ${by(ev)} ${how | (ev.newpid === true ? 2 : 0)} ${ev.pid === undefined ? 0 : int(ev, 'pid', ev.pid, 0)}` };
  },
  exit: (ev) => {
    if (ev.by === 1) refuse("task 1 is the sandbox namespace's init: its exit would end the sandbox (the model refuses it with EPERM)");
    return { cmd: `exit ${by(ev)} ${int(ev, 'code', ev.code & 255, 0)}` };
  },
  wait: (ev) => ({
    cmd: `wait ${by(ev)} ${int(ev, 'pid', ev.pid, -1)} ${(ev.nohang ? 1 : 0) | (ev.untraced ? 2 : 0) | (ev.continued ? 4 : 0)}`,
  }),
  kill: (ev) => ({ cmd: `kill ${by(ev)} ${int(ev, 'pid', ev.pid, 0)} ${int(ev, 'sig', ev.sig, 0)}` }),
  signal: (ev) => ({ cmd: `signal ${by(ev)} ${int(ev, 'sig', ev.sig, 0)} ${['default', 'ignore', 'catch'].indexOf(ev.action)}` }),
  setpgid: (ev) => ({ cmd: `setpgid ${by(ev)} ${int(ev, 'pid', ev.pid, 0)} ${int(ev, 'pgid', ev.pgid, 0)}` }),
  setsid: (ev) => ({ cmd: `setsid ${by(ev)}` }),
  getpid: (ev) => ({ cmd: `getpid ${by(ev)}` }),
  getppid: (ev) => ({ cmd: `getppid ${by(ev)}` }),
  getpgid: (ev) => ({ cmd: `getpgid ${by(ev)} ${int(ev, 'pid', ev.pid, 0)}` }),
  getsid: (ev) => ({ cmd: `getsid ${by(ev)} ${int(ev, 'pid', ev.pid, 0)}` }),
  exec: (ev) => ({ cmd: `exec ${by(ev)}` }),
  ptrace: (ev) => {
    if (ev.request === 'traceme' && ev.by === 1) {
      refuse("PTRACE_TRACEME by task 1: the sandbox's init has the executor, outside the sandbox, as its parent (the model's init has none: EPERM)");
    }
    return {
      cmd: `ptrace ${by(ev)} ${PTRACE_REQUESTS.indexOf(ev.request)} ${int(ev, 'pid', ev.pid, 0)} ${int(ev, 'sig', ev.sig, 0)}`,
    };
  },
  unshare: (ev) => ({ cmd: `unshare ${by(ev)} ${(ev.flags ?? []).includes('newpid') ? 1 : 0}` }),
  setns: (ev) => ({ cmd: `setns ${by(ev)} ${int(ev, 'pid', ev.pid, 0)}` }),
  prctl: (ev) => ({ cmd: `prctl ${by(ev)} ${ev.option === 'set_child_subreaper' ? 36 : 37} ${int(ev, 'arg', ev.arg, 1)}` }),
  clone_thread: (ev) => {
    // found by fuzz --against-kernel: `exit` by such a thread is exit_group of the sandbox's init
    if (ev.by === 1) refuse("a thread of task 1, the sandbox namespace's init: its exit (exit_group) would end the sandbox (the model refuses that exit with EPERM)");
    return { cmd: `thread ${by(ev)}` };
  },
  gettid: (ev) => ({ cmd: `gettid ${by(ev)}` }),
  sched_setaffinity: (ev) => {
    const cpus = parseCpus(ev.cpus);
    if (cpus.some((c) => c >= 63)) refuse(`cpus "${ev.cpus}": the recorder passes the mask as 63 bits`);
    return { cmd: `setaffinity ${by(ev)} ${int(ev, 'pid', ev.pid, 0)} ${cpus.reduce((m, c) => m | (1n << BigInt(c)), 0n)}` };
  },
  sched_getaffinity: (ev) => ({ cmd: `getaffinity ${by(ev)} ${int(ev, 'pid', ev.pid, 0)}` }),
  exit_thread: (ev) => {
    if (ev.by === 1) refuse("task 1 is the sandbox namespace's init: its exit would end the sandbox (the model refuses it with EPERM)");
    return { cmd: `exit_thread ${by(ev)} ${int(ev, 'code', ev.code & 255, 0)}` };
  },
  node_down: () => refuse('cluster nodes (OpenSSI) do not exist on Linux'),
  node_up: () => refuse('cluster nodes (OpenSSI) do not exist on Linux'),
  migrate: () => refuse('process migration between cluster nodes (OpenSSI) does not exist on Linux'),
  mkdir: (ev, st) => ({ cmd: `mkdir ${by(ev)} ${hex(cgroupPath(st, ev))}` }),
  rmdir: (ev, st) => {
    const p = cgroupPath(st, ev);
    if (p === '/') refuse('rmdir of "/": the sandbox root stands for the top cpuset, which the sandbox never removes');
    return { cmd: `rmdir ${by(ev)} ${hex(p)}` };
  },
  attach: (ev, st) => ({ cmd: `write ${by(ev)} ${hex(cgroupPath(st, ev))} ${hex('tasks')} ${hex(String(int(ev, 'pid', ev.pid, 0)))}` }),
  write: (ev, st) => {
    const p = cgroupPath(st, ev);
    const f = fileName(ev.file);
    if (p === '/' && !ROOT_WRITABLE.includes(f)) refuse(`write to the top cpuset's ${f}: the sandbox never writes the real top cpuset, and its own root is not the top`);
    const depth = p === '/' ? 0 : p.split('/').length - 1;
    if (depth === 1 && topOnly(st, f) && /exclusive$/.test(f)) {
      refuse(`${f} of a child of "/": the model's top cpuset is exclusive, the sandbox root cannot be (it shares the cpus with its siblings)`);
    }
    return { cmd: `write ${by(ev)} ${hex(p)} ${hex(f)} ${hex(ev.value)}` };
  },
  read: (ev, st) => {
    const p = cgroupPath(st, ev);
    const f = fileName(ev.file);
    if (p === '/' && topOnly(st, f)) refuse(`read of the top cpuset's ${f}: the sandbox root stands for the top cpuset but differs from it there`);
    return { cmd: `read ${by(ev)} ${hex(p)} ${hex(f)}` };
  },
  proc_read: (ev, st) => {
    if (ev.file === 'cgroup' && ev.field !== 'cpuset') refuse(`the ${JSON.stringify(ev.field ?? '')} line of /proc/PID/cgroup: only the cpuset hierarchy is the sandbox's`);
    if (ev.file === 'cgroup' && st.hierarchy === null) refuse('no cpuset hierarchy is mounted yet (record maps one mount of cpuset onto the kernel\'s)');
    return { cmd: `proc ${by(ev)} ${int(ev, 'pid', ev.pid, 0)} ${hex(ev.file)} ${hex(ev.field ?? '')}` };
  },
  register_subsys: () => refuse('subsystem registration (2006) does not exist on a live kernel'),
  mount: (ev, st) => {
    if (st.hierarchy !== null) refuse('only one mount can be recorded: the cpuset hierarchy the kernel already has');
    if (ev.subsystems === undefined || ev.subsystems.length !== 1 || ev.subsystems[0] !== 'cpuset') {
      refuse(`mount of ${JSON.stringify(ev.subsystems ?? 'every subsystem')}: only a hierarchy of cpuset alone maps onto the kernel's`);
    }
    if ((ev.noprefix ?? false) !== st.noprefix) {
      refuse(`noprefix ${ev.noprefix ?? false}: the kernel's cpuset hierarchy is mounted ${st.noprefix ? 'with' : 'without'} noprefix`);
    }
    st.hierarchy = ev.hierarchy;
    return { local: { ret: 0 } };
  },
  umount: () => refuse("umount: the sandbox never unmounts the kernel's hierarchy"),
  load_subsys: () => refuse('loading subsystems (seed 003) is not possible on a live kernel'),
  unload_subsys: () => refuse('unloading subsystems (seed 003) is not possible on a live kernel'),
  cpu_down: () => refuse('cpu hotplug is not safe on a shared machine'),
  cpu_up: () => refuse('cpu hotplug is not safe on a shared machine'),
  mem_down: () => refuse('memory hotplug is not safe on a shared machine'),
  mem_up: () => refuse('memory hotplug is not safe on a shared machine'),
  inject: () => refuse('fault injection exists only in the model'),
  vps_create: () => refuse('OpenVZ VPSs do not exist on Linux'),
  vps_enter: () => refuse('OpenVZ VPSs do not exist on Linux'),
  vps_checkpoint: () => refuse('OpenVZ checkpoints do not exist on Linux'),
  vps_restore: () => refuse('OpenVZ checkpoints do not exist on Linux'),
};

/** How to record `ev`; `st` carries the mount across events. */
export function planEvent(ev: Event, st: PlanState): Step {
  try {
    return (PLANNERS[ev.op] as Planner<Event>)(ev, st);
  } catch (e) {
    if (e instanceof Refuse) return { refuse: e.message };
    throw e;
  }
}
