import { taskCgroupFields } from '../cgroup/canonical.js';
import { cpulistFormat } from '../cgroup/cpulist.js';
import { findSlot } from '../cgroup/world.js';
import type { TaskHandler } from '../reducer/context.js';
import { err, ok, type Outcome } from '../reducer/outcome.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { pidToView } from '../vpid/view.js';
import { taskCpusAllowed } from './affinity.js';
import { findThreadByVpid } from './sessions.js';
import { groupLeader } from './thread-group.js';

/**
 * The /proc views a trace can read (`proc_read`): what `fs/proc/array.c` (`do_task_stat`,
 * `proc_pid_status`), `proc_cpuset_show` and `proc_cgroup_show` print for a task, one field at a
 * time, in the caller's view. The model's tasks run only inside an event, so a live task is
 * sleeping (`S`) except the caller reading its own, which is running (`R`).
 *
 * A pid naming a thread other than the leader opens that thread's directory (6.18
 * `proc_pid_lookup` → `find_task_by_pid_ns`, as `/proc/PID/task/TID`): its `cpuset`, `cgroup`
 * and allowed lists are the thread's own (each thread has its cgroup membership); the state,
 * parent and tracer are its process's, where the model keeps them (src/kernel/thread-group.ts).
 */

/**
 * `task_state_array`'s letter: `Z` for a zombie, `T` for a group stop, the version's trace-stop
 * letter (`traceStopLetter`) for a stopped tracee, `R` for the caller itself, else `S`.
 */
export function stateLetter(v: SemanticVersion, caller: Task, t: Task): string {
  if (t.state === 'zombie') return 'Z';
  if (t.state === 'stopped') return t.tracer !== 0 ? v.traceStopLetter : 'T';
  return t === caller ? 'R' : 'S';
}

/**
 * The path of `t`'s cgroup in the hierarchy `subsys` is bound to, as `cgroup_path` prints it; the
 * root `/` when the subsystem is unbound (2.6.33 `rootnode`) or `t` is a zombie (2.6.33
 * `cgroup_exit` moves it to `init_css_set`); null when no such subsystem is registered.
 */
function cgroupPathOf(s: KernelState, v: SemanticVersion, t: Task, subsys: string): string | null {
  const slot = findSlot(s.cg, subsys);
  if (!slot) return null;
  if (slot.hierarchy === null) return '/';
  const cgroups = taskCgroupFields(s, v, t).cgroups as Record<string, string>;
  return cgroups[slot.hierarchy] ?? '/';
}

/** `Mems_allowed_list`: the effective mems of the task's cpuset (`cpuset_mems_allowed`). */
function allowedList(s: KernelState, v: SemanticVersion, t: Task, key: 'effectiveMems'): string {
  return cpulistFormat((taskCgroupFields(s, v, t)[key] as number[] | undefined) ?? []);
}

/** `proc_read {by, pid, file, field}` (reference: proc_read). */
export const sysProcRead: TaskHandler<'proc_read'> = (ctx, ev, caller) => {
  const { s, v } = ctx;
  const th = ev.pid > 0 ? findThreadByVpid(s, caller, ev.pid) : undefined;
  if (!th) return err('ENOENT', 'proc-no-task', ev.pid);
  const t = groupLeader(s, th);
  const parent = (): string => String(t.parent === 0 ? 0 : pidToView(s, caller, t.parent));
  const view = (): Outcome => {
    switch (ev.file) {
      case 'stat':
        return ok(ev.field === 'ppid' ? parent() : stateLetter(v, caller, t));
      case 'status':
        if (ev.field === 'PPid') return ok(parent());
        if (ev.field === 'TracerPid') return ok(String(t.tracer === 0 ? 0 : pidToView(s, caller, t.tracer)));
        // the thread's own mask (`cpus_mask`, sched_setaffinity and its cpuset), not the cpuset's
        if (ev.field === 'Cpus_allowed_list') return ok(cpulistFormat(taskCpusAllowed(s, v, th)));
        return ok(allowedList(s, v, th, 'effectiveMems'));
      case 'cpuset':
        return ok(`${cgroupPathOf(s, v, th, 'cpuset') ?? '/'}\n`);
      case 'cgroup': {
        const path = cgroupPathOf(s, v, th, ev.field ?? '');
        const slot = findSlot(s.cg, ev.field ?? '');
        return path === null || slot?.hierarchy === null ? err('ENOENT', 'proc-no-line', ev.pid, ev.field ?? '') : ok(path);
      }
    }
  };
  return view();
};
