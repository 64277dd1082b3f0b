import { defineOp } from '../reducer/op.js';
import type { Event } from '../trace/schema-types.js';
import { byOf, caller, callerTask, targetPid } from '../workload/gen.js';
import { sysProcRead } from './procfs.js';
import { PROC_READ_POSTCONDITIONS } from './procfs.post.js';

/** The (file, field) pairs `proc_read` reads, as the generator picks them. */
const VIEWS: readonly { file: 'stat' | 'status' | 'cpuset' | 'cgroup'; field?: string }[] = [
  { file: 'stat', field: 'state' },
  { file: 'stat', field: 'ppid' },
  { file: 'status', field: 'PPid' },
  { file: 'status', field: 'TracerPid' },
  { file: 'status', field: 'Cpus_allowed_list' },
  { file: 'status', field: 'Mems_allowed_list' },
  { file: 'cpuset' },
  { file: 'cgroup', field: 'cpuset' },
];

export const procReadOp = defineOp({
  name: 'proc_read',
  env: false,
  handler: sysProcRead,
  post: PROC_READ_POSTCONDITIONS,
  models: 'fs/proc/array.c do_task_stat / proc_pid_status (2.6.18, 6.18), proc_cpuset_show, proc_cgroup_show',
  returns:
    'the field as the kernel prints it: a state letter (`R` the caller itself, `S` sleeping, `T` stopped, `t` or `T` in a trace stop as the version prints it, `Z` zombie), a pid in the caller\'s view as text, a cpu or node list (`"0-1"`), the `cpuset` file with its newline (`"/a\\n"`), or the path of a `cgroup` line (`"/a"`)',
  args: {
    pid: "the task whose /proc directory is read, in the caller's view; a thread's tid opens that thread's directory (its own `cpuset`, `cgroup` and allowed lists)",
    file: '`stat`, `status`, `cpuset` or `cgroup`',
    field: 'stat: `state` or `ppid`; status: `PPid`, `TracerPid`, `Cpus_allowed_list`, `Mems_allowed_list`; cgroup: a subsystem name; cpuset: none',
  },
  effect: 'none',
  rules: ['hierarchies', 'hotplug', 'traceStopLetter', 'affinityOnCpusetChange'],
  errnos: ['ESRCH', 'ENOENT'],
  reasons: ['proc-no-task', 'proc-no-line'],
  gen: [{ weight: 1, make: (g) => { const t = caller(g); const sel = g.next(); const v = VIEWS[sel % VIEWS.length] as (typeof VIEWS)[number];
    return { op: 'proc_read', by: byOf(t), pid: targetPid(g, callerTask(g, t)), ...v } as Event; } }],
});
