import type { Task } from '../state/task.js';

/**
 * What the model reports about the event being applied: which tasks, numbers, VPSes and cgroups it
 * changes, at the few choke points where they change (task hashing, pid holds, pgrp changes, exit,
 * reparenting, ptrace links, signal delivery, migration; cgroup creation and removal, attach,
 * subsystem file writes; the wholesale changes of mount, umount, subsystem registration and
 * hotplug). The model does not know who listens: a checker passes an implementation in the
 * context (src/replay/record.ts); otherwise it is `NO_RECORD`, and a report costs one call that
 * does nothing. Each method is called BEFORE the change it reports, so a listener can read the
 * state as it was; none allocates in the model.
 */
export interface Recorder {
  /** `t` changes (an invariant-relevant field), or is being hashed or unhashed. */
  task(t: Task): void;
  /** The holds on number `n` (as pid, pgid or sid) change; called before `numUse` does. */
  number(n: number): void;
  /** VPS `id`'s mappings may change (alloc_vpid may switch it to sparse mode even when fork fails). */
  vps(id: number): void;
  /** Exit processing starts for live task `t` (2.6.18 `do_exit`, before anything changes). */
  exit(t: Task): void;
  /**
   * Cgroup `path` (child of `parent`) of hierarchy `hierarchy` is created (`created`, mkdir) or
   * removed (rmdir): the only cgroups either changes; a new one brings new subsystem settings.
   */
  cgroup(hierarchy: string, path: string, parent: string, created: boolean): void;
  /** A subsystem setting of hierarchy `hierarchy` changes (a write to a subsystem's file). */
  settings(hierarchy: string): void;
  /**
   * The event changes the cgroup world wholesale: hierarchies (mount, umount), subsystem slots
   * (register, load, unload), what is online (hotplug, nodes), or a whole VPS (restore).
   */
  wholesale(): void;
}

const nothing = (): void => {};

/** The recorder when nobody listens: every report does nothing. */
export const NO_RECORD: Recorder = {
  task: nothing,
  number: nothing,
  vps: nothing,
  exit: nothing,
  cgroup: nothing,
  settings: nothing,
  wholesale: nothing,
};
