import type { Touched } from '../invariants/touched.js';
import { isOrphanedPgrp } from '../kernel/orphan.js';
import type { Recorder } from '../reducer/record.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';

/**
 * The scoped checker's `Recorder`: collects what the model reports about one event applied to
 * state `s` into `into` (src/invariants/touched.ts), with what each subject was before the event
 * (every report comes before its change). It keeps no per-event objects of its own: the checker
 * points it at a state and a `Touched` once and clears that between events.
 */
export class TouchRecorder implements Recorder {
  constructor(
    public s: KernelState,
    public into: Touched,
  ) {}

  task(t: Task): void {
    const s = this.s;
    const r = this.into;
    r.tasks.push(t.pid);
    // A task not yet hashed (a fork's child) referenced nothing before the event, whatever dup_task copied.
    const hashed = s.tasks.get(t.pid) === t;
    r.cssSetsBefore.push(hashed ? (s.cg.cssSets.get(t.cssSet) ?? null) : null);
    r.pgidsBefore.push(hashed ? t.pgid : Number.NaN);
    r.sidsBefore.push(hashed ? t.sid : Number.NaN);
    if (t.vps !== 0) r.vpses.push(t.vps);
  }

  number(n: number): void {
    const r = this.into;
    r.numbers.push(n);
    r.numUseBefore.push(this.s.numUse.get(n) ?? 0);
  }

  vps(id: number): void {
    this.into.vpses.push(id);
  }

  /**
   * Whether a pgrp is orphaned (`will_become_orphaned_pgrp`) depends only on its live members and
   * their real parents' pgrp and session; exit processing changes those only for `t` itself (it
   * dies) and for its children (`forget_original_parent` reparents them; tracees are recorded
   * too). So the pgrps of `t` and of its children and tracees are the ones this exit can orphan.
   * Each is recorded the first time the event reaches it: a pgrp an earlier exit of the same event
   * could change was recorded at that exit, so every recorded state is the one before the event.
   */
  exit(t: Task): void {
    const r = this.into;
    r.exited = true;
    this.task(t);
    this.note(t.pid);
    for (const c of t.children) this.note(c);
    for (const c of t.traced) this.note(c);
  }

  private note(pid: number): void {
    const s = this.s;
    const before = this.into.orphanedBefore;
    const pgid = s.tasks.get(pid)?.pgid;
    if (pgid !== undefined && !before.has(pgid)) before.set(pgid, isOrphanedPgrp(s, pgid));
  }

  /** mkdir brings new settings to its hierarchy; rmdir takes away an empty leaf (no task's ancestor). */
  cgroup(hierarchy: string, path: string, parent: string, created: boolean): void {
    const r = this.into;
    if (created) r.hierarchies.push(hierarchy);
    r.dirs.push({ hierarchy, path, parent });
  }

  settings(hierarchy: string): void {
    this.into.settings.push(hierarchy);
  }

  wholesale(): void {
    this.into.all = true;
  }
}
