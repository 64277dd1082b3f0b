export type RunState = 'running' | 'stopped' | 'zombie';
/** How a task ended, as wait reports it (reference: exit). */
export type ExitStatus = { exited: number } | { signaled: number };
/**
 * Where a task is on its way out (gVisor's `TaskExitState`; 2.6.18's PF_EXITING, then
 * `exit_state`): `none` while it lives, `exiting` inside `do_exit` (signals to it are dropped and
 * it is not killed twice), `zombie` once exit processing is done, `released` once `release_task`
 * took it out of the task table. Only `advanceExitState` (src/kernel/exitstate.ts) moves it, one
 * step forward at a time. `exiting` never outlives the event that kills the task and `zombie`
 * goes with `state: 'zombie'`, so the canonical form (canonical.ts) leaves this field out.
 */
export type ExitState = 'none' | 'exiting' | 'zombie' | 'released';
/** A non-default signal disposition; `default` is the absence of an entry. */
export type Disposition = 'ignore' | 'catch';

/** A task (a single-threaded process: pid = tgid), as the reducer keeps it. Numbers are global pids. */
export interface Task {
  pid: number;
  /** Real parent's pid (`real_parent`); 0 for global init. */
  parent: number;
  /** Children in the order they became children: fork order, then reparent order (reference: wait). */
  children: number[];
  pgid: number;
  sid: number;
  /** Cluster node the task runs on (reference: migrate). */
  node: number;
  state: RunState;
  /** Set once the task is a zombie. */
  exitStatus: ExitStatus | null;
  /** Set by exec (setpgid's EACCES rule). */
  execd: boolean;
  /** Signal number -> disposition, only for non-default ones. */
  dispositions: Map<number, Disposition>;
  /** Signal number -> how many times a caught signal was delivered. */
  caught: Map<number, number>;
  /** Fatal signals that arrived while stopped, delivered after SIGCONT (ascending: dequeue order). */
  pending: number[];
  /** The signal of a stop not yet reported by wait, or 0. */
  stopReport: number;
  /** A continuation not yet reported by wait (WCONTINUED). */
  contReport: boolean;
  /** Tracer's pid, 0 when not traced. */
  tracer: number;
  /** Tasks this one traces, in attach order. */
  traced: number[];
  /** VPS id, 0 on the host. */
  vps: number;
  /** Id of the css_set this task references (cgroup membership). */
  cssSet: number;
  /** Where the task is on its way out (see `ExitState`). */
  exitState: ExitState;
  /**
   * `signal->is_child_subreaper` (PR_SET_CHILD_SUBREAPER, 3.4): orphaned descendants are
   * reparented to the nearest living ancestor that has it (src/kernel/subreaper.ts). Not inherited
   * by fork; the canonical form shows it only when set, so states without subreapers keep their form.
   */
  childSubreaper: boolean;
  /**
   * The cpus `sched_setaffinity` gave the task (src/kernel/affinity.ts), ascending, or null when
   * none: 6.x's `user_cpus_ptr` (the request as asked, reapplied on every cpuset change), or 2.6's
   * own `cpus_allowed` (the request cut to the cpuset, until the cpuset resets it). Inherited by
   * fork (`dup_task_struct`, 6.x `dup_user_cpus_ptr`); shown in the canonical form only when set.
   */
  affinity: number[] | null;
  /**
   * The thread group (`tgid`, CLONE_THREAD of `copy_process`): the pid of its leader, this task's
   * own pid for a process's leader. A non-leader thread (src/kernel/threads.ts) carries only its
   * identity and its cgroup membership: its parent, pgid and sid are 0, and everything
   * process-wide (parent, children, pgrp, session, dispositions, stop state, exit status) lives in
   * the leader's record. Shown in the canonical form only for a non-leader thread.
   */
  tgid: number;
  /** index: the tids of the group's other threads, ascending (a leader's; empty for a thread). */
  threads: number[];
  /**
   * The leader thread has exited (`exit_thread`) while other threads live: its exit status, kept
   * for wait until the group is empty (`delay_group_leader`, 6.x kernel/exit.c). The process is
   * still live, the leader thread no longer runs (its pid as a caller is ESRCH) and is in no
   * cgroup. Shown in the canonical form only when set.
   */
  leaderExited: ExitStatus | null;
}

export const isAlive = (t: Task): boolean => t.state !== 'zombie';
