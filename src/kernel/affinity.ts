import { taskCgroupFields } from '../cgroup/canonical.js';
import { cpulistFormat, parseCpus } from '../cgroup/cpulist.js';
import { onlineCpus } from '../cgroup/subsystems/cpuset-state.js';
import type { TaskHandler } from '../reducer/context.js';
import { err, ok } from '../reducer/outcome.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';
import { findThreadByVpid } from './sessions.js';
import { currentThread } from './thread-group.js';

/**
 * A task's cpu affinity (`cpus_mask`, 2.6's `cpus_allowed`), derived from its cpuset's cpus and
 * the mask `sched_setaffinity` gave it (`Task.affinity`), per `v.affinityOnCpusetChange`:
 * - `reapplied` (6.2 on, 6.18 kernel/sched/core.c `__set_cpus_allowed_ptr`): every cpuset change
 *   (`cpuset_attach`, `cpuset_update_tasks_cpumask`) sets the cpuset's cpus, which
 *   `__set_cpus_allowed_ptr` intersects with the remembered request (`user_cpus_ptr`) unless that
 *   leaves nothing: the cpuset's cpus ∩ the request, or the cpuset's cpus when they are disjoint.
 * - `reset-on-attach` (2.6.18) and `reset` (2.6.33): the task's own mask, the request cut to its
 *   cpuset, until `cpuset_attach` (and in 2.6.33 `update_tasks_cpumask`) sets the cpuset's cpus
 *   again and forgets it; cpus that went offline drop out (`move_task_off_dead_cpu` falls back to
 *   `cpuset_cpus_allowed` when none is left).
 */

/** `cpuset_cpus_allowed` (6.18 guarantee_active_cpus, 2.6.18 guarantee_online_cpus): the task's cpuset's cpus; every online cpu without cpusets, and for a zombie (the model's zombies are in the top cpuset). */
export function cpusetCpusAllowed(s: KernelState, v: SemanticVersion, t: Task): number[] {
  if (t.state === 'zombie') return onlineCpus(s.cg);
  const eff = taskCgroupFields(s, v, t).effectiveCpus as number[] | undefined;
  return eff ? [...eff] : onlineCpus(s.cg);
}

const intersect = (a: readonly number[], b: readonly number[]): number[] => a.filter((x) => b.includes(x));

/** The task's `cpus_mask` (see above), ascending. */
export function taskCpusAllowed(s: KernelState, v: SemanticVersion, t: Task): number[] {
  const cpuset = cpusetCpusAllowed(s, v, t);
  if (!t.affinity) return cpuset;
  const m = v.affinityOnCpusetChange === 'reapplied' ? intersect(cpuset, t.affinity) : intersect(t.affinity, onlineCpus(s.cg));
  return m.length > 0 ? m : cpuset;
}

/** The task a pid argument of the sched_*affinity calls names: 0 the calling thread, else `find_task_by_vpid` (a thread by its tid). */
function findProcessByPid(ctx: Parameters<TaskHandler<'sched_getaffinity'>>[0], caller: Task, pid: number): Task | undefined {
  return pid === 0 ? currentThread(ctx, caller) : findThreadByVpid(ctx.s, caller, pid);
}

/**
 * `sched_setaffinity {by, pid, cpus}` (6.18 kernel/sched/syscalls.c `sched_setaffinity`,
 * `__sched_setaffinity`; 2.6.18 kernel/sched.c `sched_setaffinity`): a pid that names no task →
 * ESRCH; the request cut to `cpuset_cpus_allowed` must keep an online cpu, else EINVAL
 * (`__set_cpus_allowed_ptr_locked`, 2.6.18 `set_cpus_allowed`: `!cpus_intersects`). 6.x remembers
 * the request as asked (`user_cpus_ptr`, SCA_USER); 2.6 keeps the cut mask.
 */
export const sysSchedSetaffinity: TaskHandler<'sched_setaffinity'> = (ctx, ev, caller) => {
  const t = findProcessByPid(ctx, caller, ev.pid);
  if (!t) return err('ESRCH', 'no-such-task', ev.pid);
  const asked = parseCpus(ev.cpus);
  const cut = intersect(asked, cpusetCpusAllowed(ctx.s, ctx.v, t));
  if (cut.length === 0) return err('EINVAL', 'affinity-empty', ev.pid, ev.cpus, cpulistFormat(cpusetCpusAllowed(ctx.s, ctx.v, t)));
  // Nothing may fail below here.
  ctx.record.task(t);
  t.affinity = ctx.v.affinityOnCpusetChange === 'reapplied' ? asked : cut;
  return ok(0);
};

/**
 * `sched_getaffinity {by, pid}` (6.18 kernel/sched/syscalls.c `sched_getaffinity`: `cpus_mask` ∩
 * `cpu_active_mask`; 2.6.18: `cpus_allowed` ∩ `cpu_online_map`): the mask as a cpu list; ESRCH
 * for a pid that names no task.
 */
export const sysSchedGetaffinity: TaskHandler<'sched_getaffinity'> = (ctx, ev, caller) => {
  const t = findProcessByPid(ctx, caller, ev.pid);
  if (!t) return err('ESRCH', 'no-such-task', ev.pid);
  const online = onlineCpus(ctx.s.cg);
  return ok(cpulistFormat(taskCpusAllowed(ctx.s, ctx.v, t).filter((c) => online.includes(c))));
};
