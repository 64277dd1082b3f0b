import { cpulistFormat } from '../cgroup/cpulist.js';
import { defineOp } from '../reducer/op.js';
import type { Event } from '../trace/schema-types.js';
import { byOf, caller, callerTask, targetPid } from '../workload/gen.js';
import { sysSchedGetaffinity, sysSchedSetaffinity } from './affinity.js';
import { SCHED_GETAFFINITY_POSTCONDITIONS, SCHED_SETAFFINITY_POSTCONDITIONS } from './affinity.post.js';

/** A pid argument: the caller itself (0) a quarter of the time, else a task it sees (or, when wrong, a dead number). */
const affinityTarget = (g: Parameters<typeof caller>[0], me: ReturnType<typeof callerTask>, sel: number): number => (sel % 4 === 0 ? 0 : targetPid(g, me));

/** A non-empty subset of the online cpus, as a cpu list, picked by the bits of `sel`. */
function onlineSubset(online: ReadonlySet<number>, sel: number): string {
  const xs = [...online].sort((a, b) => a - b);
  const some = xs.filter((_c, i) => ((sel >> i) & 1) === 1);
  return cpulistFormat(some.length > 0 ? some : xs.slice(0, 1));
}

export const schedSetaffinityOp = defineOp({
  name: 'sched_setaffinity',
  env: false,
  handler: sysSchedSetaffinity,
  post: SCHED_SETAFFINITY_POSTCONDITIONS,
  models: 'sched_setaffinity, __sched_setaffinity, __set_cpus_allowed_ptr (6.18 kernel/sched/syscalls.c, core.c; 2.6.18 kernel/sched.c set_cpus_allowed), cpuset_cpus_allowed',
  returns: '0',
  args: {
    pid: "the task (a thread by its tid) in the caller's view; 0 is the calling thread",
    cpus: 'the cpus asked for, as a cpu list (`"0-1"`); cut to the task\'s cpuset\'s cpus',
  },
  effect: 'scoped',
  rules: ['affinityOnCpusetChange', 'hierarchies', 'hotplug'],
  errnos: ['ESRCH', 'EINVAL'],
  reasons: ['no-such-task', 'affinity-empty'],
  gen: [{ weight: 1, make: (g) => { const t = caller(g); const sel = g.next();
    // a tenth of the time a cpu no cpuset has (the machine's count) or the empty set: EINVAL
    const cpus = sel % 10 === 1 ? String(g.s.config.cpus) : sel % 10 === 2 ? '' : onlineSubset(g.s.cg.cpusOnline, sel >> 4);
    return { op: 'sched_setaffinity', by: byOf(t), pid: affinityTarget(g, callerTask(g, t), sel), cpus } as Event; } }],
});

export const schedGetaffinityOp = defineOp({
  name: 'sched_getaffinity',
  env: false,
  handler: sysSchedGetaffinity,
  post: SCHED_GETAFFINITY_POSTCONDITIONS,
  models: 'sched_getaffinity (6.18 kernel/sched/syscalls.c: cpus_mask ∩ cpu_active_mask; 2.6.18 kernel/sched.c: cpus_allowed ∩ cpu_online_map)',
  returns: 'the task\'s cpus as a cpu list (`"0-1"`), as `Cpus_allowed_list` prints them',
  args: { pid: "the task (a thread by its tid) in the caller's view; 0 is the calling thread" },
  effect: 'none',
  rules: ['affinityOnCpusetChange', 'hierarchies', 'hotplug'],
  errnos: ['ESRCH'],
  reasons: ['no-such-task'],
  gen: [{ weight: 1, make: (g) => { const t = caller(g); const sel = g.next();
    return { op: 'sched_getaffinity', by: byOf(t), pid: affinityTarget(g, callerTask(g, t), sel) } as Event; } }],
});
