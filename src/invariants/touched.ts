import type { CssSet } from '../cgroup/types.js';
import type { KernelState } from '../state/types.js';
import type { CgroupLinks, EffectiveOnline, VpsTasks } from './kept.js';

/**
 * What one event touched (issue 6: per-event scoped invariant checks): what the model reported
 * through its `Recorder` (src/reducer/record.ts) at its choke points, collected by the checker's
 * recorder (src/replay/record.ts). Lists may repeat entries. Scoped checks
 * (`Invariant.checkTouched`) check only these subjects and their direct relations.
 */
export interface Touched {
  /** Tasks whose invariant-relevant fields changed, or that were hashed or unhashed (pids). */
  tasks: number[];
  /**
   * Index-aligned with `tasks`: the css_set that task referenced when it was touched (freed ones
   * included; null for none, and for a task not yet in the task table). After the checker's
   * dedupe, the one it had before the event.
   */
  cssSetsBefore: (CssSet | null)[];
  /**
   * Index-aligned with `tasks`: the pgid and sid that task held when it was touched, NaN for both
   * when it was not in the task table (a fork's child before `hashTask`). After the checker's
   * dedupe, the ones before the event (every change goes through a choke point that touches first).
   */
  pgidsBefore: number[];
  sidsBefore: number[];
  /** Numbers whose holds (as pid, pgid or sid) changed: `numUse`, pgrps, sessions, vpids. */
  numbers: number[];
  /** Index-aligned with `numbers`: `numUse` of that number when it was touched (before the event, after the dedupe). */
  numUseBefore: number[];
  /** VPS ids whose tasks or mappings may have changed (the VPS of every touched task included). */
  vpses: number[];
  /** Hierarchies a cgroup was added to (names; mkdir): its settings are new. */
  hierarchies: string[];
  /** The cgroups a mkdir or rmdir names, with their parents: the only cgroups either changes. */
  dirs: TouchedDir[];
  /**
   * Hierarchies whose subsystem settings changed (names; a write to a subsystem's file: cpusets,
   * net_cls). Such a write changes no cgroup, link or membership.
   */
  settings: string[];
  /** css_sets with this id or above were created by the event (set by the checker before it). */
  cssSetIdsFrom: number;
  /** Exit processing ran for some live task (orphan-stopped's transition can happen). */
  exited: boolean;
  /**
   * The pgrps exit processing can orphan, each with whether it was orphaned (or absent) before the
   * event: recorded when exit processing starts for a task, for its own pgrp and its children's
   * and tracees' pgrps, the first time the event reaches each. A pgrp that is not here kept its
   * orphaned state through the event (see `TouchRecorder.exit` in src/replay/record.ts).
   */
  orphanedBefore: Map<number, boolean>;
  /** Everything may have changed (the model reported a wholesale change): check every invariant in full. */
  all: boolean;
  /** The holds of the touched numbers, VPSes and css_sets, counted once per event (invariants/holds.ts). */
  holds: TouchedHolds | null;
  /** Per touched number, how many times tasks hold it, once per event (invariants/holds.ts `heldCounts`). */
  counts: number[] | null;
  /**
   * Which css_sets link each cgroup and the sum of their refcounts, for cgroup-tree's task counts
   * and css-set's links after rmdir (invariants/cgroup.ts): kept from event to event (`clearTouched`
   * leaves it), built anew for another state; a checker drops it after an event that may change
   * css_set links (`touched.all`) or that it did not check to the end, and at every full check.
   */
  links: CgroupLinks | null;
  /**
   * cpuset-nonempty's answers per cpuset (invariants/cgroup.ts), kept from event to event as
   * `links` is and dropped with it (`dropKept`), and whenever the cpuset hierarchy changes.
   */
  online: EffectiveOnline | null;
  /**
   * The pids of each VPS's tasks (VPS id -> pids; host tasks are not listed), for vpid-bijection
   * (invariants/holds.ts `vpsNumbers`): kept from event to event as `links` is, dropped with it.
   */
  vpsTasks: VpsTasks | null;
}

/** A cgroup a mkdir creates or an rmdir removes (paths as the model keys them). */
export interface TouchedDir {
  hierarchy: string;
  path: string;
  parent: string;
}

/**
 * One pass over the tasks for what the touched numbers and css_sets need (pid-unique,
 * vpid-bijection and css-set read it), index-aligned with `Touched.numbers`.
 */
export interface TouchedHolds {
  /** The state it was counted on. */
  s: KernelState;
  /** Per touched number: how many times tasks hold it (as pid, pgid and sid). */
  counts: number[];
  /** Per touched number: the VPS ids of the tasks that hold it, in task-table order, each once. */
  users: number[][];
  /** The css_sets a touched task left or joined that still exist (see `cssSetMoves`). */
  cssSets: CssSet[];
  /** Per css_set of `cssSets`: how many live tasks reference it. */
  refs: number[];
}

export const emptyTouched = (): Touched => ({
  tasks: [],
  cssSetsBefore: [],
  pgidsBefore: [],
  sidsBefore: [],
  numbers: [],
  numUseBefore: [],
  vpses: [],
  hierarchies: [],
  dirs: [],
  settings: [],
  cssSetIdsFrom: 0,
  exited: false,
  orphanedBefore: new Map(),
  all: false,
  holds: null,
  counts: null,
  links: null,
  online: null,
  vpsTasks: null,
});

/**
 * Drops repeated tasks and numbers (keeping what was recorded at each one's first touch, the
 * state before the event) and repeated VPSes, hierarchies and settings, in place.
 */
export function dedupeTouched(t: Touched): void {
  dedupe(t.tasks, [
    [t.cssSetsBefore, null],
    [t.pgidsBefore, Number.NaN],
    [t.sidsBefore, Number.NaN],
  ]);
  dedupe(t.numbers, [[t.numUseBefore, Number.NaN]]);
  dedupe(t.vpses);
  dedupe(t.hierarchies);
  dedupe(t.settings);
}

/** An array index-aligned with the keys being deduped, and what stands for an entry it lacks (tests fill keys by hand). */
type Aligned = readonly [values: unknown[], missing: unknown];

/** Drops repeated keys in place, keeping each key's first entry in `keys` and in every array aligned with them. */
function dedupe(keys: unknown[], aligned: readonly Aligned[] = []): void {
  let n = 0;
  for (let i = 0; i < keys.length; i++) {
    const x = keys[i];
    if (n > 0 && keys.lastIndexOf(x, n - 1) >= 0) continue;
    keys[n] = x;
    for (const [values, missing] of aligned) values[n] = i < values.length ? values[i] : missing;
    n++;
  }
  if (n < keys.length) {
    keys.length = n;
    for (const [values] of aligned) values.length = n;
  }
}

/**
 * The touched tasks whose css_set changed during the event (born, died, moved), as pairs of
 * css_sets before and after (null for none): what cgroup memberships and counts depend on.
 */
export function cssSetMoves(s: KernelState, t: Touched, visit: (before: CssSet | null, after: CssSet | null, pid: number) => void): void {
  for (let i = 0; i < t.tasks.length; i++) {
    const pid = t.tasks[i] as number;
    const task = s.tasks.get(pid);
    const after = task ? (s.cg.cssSets.get(task.cssSet) ?? null) : null;
    const before = t.cssSetsBefore[i] ?? null;
    if (before !== after) visit(before, after, pid);
  }
}

/**
 * Drops what scoped checks keep from event to event (`links`, `online`, `vpsTasks`): after an event that may
 * change what they hold wholesale, or that was not checked to the end, and at every full check.
 */
export function dropKept(t: Touched): void {
  t.links = null;
  t.online = null;
  t.vpsTasks = null;
}

/** Whether the event touched nothing: no task, number, VPS, hierarchy, cgroup or setting, and ran no exit. */
export const untouched = (t: Touched): boolean =>
  t.tasks.length === 0 && t.numbers.length === 0 && t.vpses.length === 0 && t.hierarchies.length === 0 && t.dirs.length === 0 && t.settings.length === 0 && !t.exited;

export function clearTouched(t: Touched): void {
  // The aligned arrays are no longer than `tasks` and `numbers` (shorter when tests fill those by hand).
  if (t.tasks.length > 0 || t.cssSetsBefore.length > 0) {
    t.tasks.length = 0;
    t.cssSetsBefore.length = 0;
    t.pgidsBefore.length = 0;
    t.sidsBefore.length = 0;
  }
  if (t.numbers.length > 0) {
    t.numbers.length = 0;
    t.numUseBefore.length = 0;
  }
  // Setting an array's length is a call into the runtime: only when there is something to drop.
  if (t.vpses.length > 0) t.vpses.length = 0;
  if (t.hierarchies.length > 0) t.hierarchies.length = 0;
  if (t.dirs.length > 0) t.dirs.length = 0;
  if (t.settings.length > 0) t.settings.length = 0;
  t.exited = false;
  if (t.orphanedBefore.size > 0) t.orphanedBefore.clear();
  t.all = false;
  t.holds = null;
  t.counts = null;
}
