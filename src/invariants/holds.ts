import type { CssSet } from '../cgroup/types.js';
import type { VpsTasks } from './kept.js';
import { cssSetMoves, type Touched, type TouchedHolds } from './touched.js';
import type { Task } from '../state/task.js';
import type { KernelState } from '../state/types.js';

/**
 * The holds of the numbers and css_sets an event touched, from one pass over the tasks, counted
 * once per event and shared by pid-unique (how often each number is held), vpid-bijection (which
 * VPSes use each number) and css-set (how many live tasks reference each css_set). Computed after
 * the touched lists are final (the checker dedupes them first); `clearTouched` drops it. The
 * common events need none of it: `heldCounts`, `mayCross` and `cssSetRefs` answer from what the
 * event changed, and count here only to report exactly.
 */
export function touchedHolds(s: KernelState, touched: Touched): TouchedHolds {
  const memo = touched.holds;
  if (memo !== null && memo.s === s) return memo;
  const nums = touched.numbers;
  const cssSets = touchedCssSets(s, touched);
  const setIds = cssSets.map((cs) => cs.id);
  const counts = nums.map(() => 0);
  const users = nums.map((): number[] => []);
  const refs = cssSets.map(() => 0);
  // Most events touch no number or css_set reference: nothing to count.
  const tasks = nums.length > 0 || setIds.length > 0 ? s.tasks.values() : [];
  for (const t of tasks) {
    if (setIds.length > 0 && t.state !== 'zombie') {
      const i = setIds.indexOf(t.cssSet);
      if (i >= 0) refs[i]++;
    }
    for (let j = 0; j < nums.length; j++) {
      const n = nums[j] as number;
      const c = holdsOf(t, n);
      if (c === 0) continue;
      counts[j] += c;
      const u = users[j] as number[];
      if (!u.includes(t.vps)) u.push(t.vps);
    }
  }
  const holds: TouchedHolds = { s, counts, users, cssSets, refs };
  touched.holds = holds;
  return holds;
}

/** How many times `t` holds number `n` (as pid, pgid and sid). */
const holdsOf = (t: Task, n: number): number => (t.pid === n ? 1 : 0) + (t.pgid === n ? 1 : 0) + (t.sid === n ? 1 : 0);

/** How many times the `i`th touched task held `n` before the event (none when it was not hashed). */
function heldBefore(touched: Touched, i: number, n: number): number {
  const pgid = touched.pgidsBefore[i];
  if (pgid === undefined || Number.isNaN(pgid)) return 0;
  return (touched.tasks[i] === n ? 1 : 0) + (pgid === n ? 1 : 0) + (touched.sidsBefore[i] === n ? 1 : 0);
}

/**
 * Per touched number, how many times tasks hold it (reference: Invariants and postconditions pid-unique: `numUse` is exact), from
 * what the event changed: every change of a pid, pgid or sid goes through a choke point that
 * touches the task first (kernel/tasklist.ts), so only touched tasks changed their holds, and the
 * holds now are `numUse` before the event (equal to the holds then: that state passed its checks)
 * plus each touched task's holds now minus before. When `numUse` now says otherwise for some
 * number (a violation, or a state broken outside the choke points), every number is counted over
 * the tasks (`touchedHolds`): a count that disagrees with `numUse`, which is what gets reported,
 * is always the counted one. A hold changed outside the choke points and matched by `numUse` is a
 * violation of the state before (caught by the periodic full check, as any change the recording misses).
 */
export function heldCounts(s: KernelState, touched: Touched): readonly number[] {
  if (touched.counts !== null) return touched.counts;
  const nums = touched.numbers;
  const counts: number[] = [];
  let agree = true;
  for (let j = 0; j < nums.length && agree; j++) {
    const n = nums[j] as number;
    let c = touched.numUseBefore[j] ?? Number.NaN;
    for (let i = 0; i < touched.tasks.length; i++) {
      const t = s.tasks.get(touched.tasks[i] as number);
      c += (t ? holdsOf(t, n) : 0) - heldBefore(touched, i, n);
    }
    counts.push(c);
    agree = (s.numUse.get(n) ?? 0) === c;
  }
  touched.counts = agree ? counts : touchedHolds(s, touched).counts;
  return touched.counts;
}

/**
 * Whether a touched number may be used across a VPS boundary now (reference: Invariants and postconditions vpid-bijection; then
 * `touchedHolds` lists its users exactly). Before the event no number was: the holders of each
 * were in one VPS. Untouched holders kept their numbers (and a task's VPS is set when it is created,
 * never changed), so a number is used by the VPSes of its touched holders now and, when it has
 * untouched holders (`heldCounts` more than the touched ones hold), by the one VPS of its holders
 * before: that of a touched task that held it then, or of an untouched holder the task table (its
 * pid) or its pgrp (`pgrps`) names; when none does (it is held only as a sid), this answers "may".
 */
export function mayCross(s: KernelState, touched: Touched): boolean {
  const counts = heldCounts(s, touched);
  const holds = touched.holds;
  if (holds !== null && holds.s === s) return holds.users.some((u) => u.length > 1);
  const nums = touched.numbers;
  for (let j = 0; j < nums.length; j++) {
    const n = nums[j] as number;
    let vps = -1;
    let held = 0;
    let before: number | undefined;
    for (let i = 0; i < touched.tasks.length; i++) {
      const t = s.tasks.get(touched.tasks[i] as number);
      if (!t) continue;
      if (heldBefore(touched, i, n) > 0) before = t.vps;
      const c = holdsOf(t, n);
      if (c === 0) continue;
      if (vps >= 0 && t.vps !== vps) return true;
      vps = t.vps;
      held += c;
    }
    if ((counts[j] as number) === held) continue;
    const owner = before ?? untouchedHolder(s, touched, n)?.vps;
    if (owner === undefined || (vps >= 0 && owner !== vps)) return true;
  }
  return false;
}

/** A task the event did not touch that holds `n` as pid or pgid, if the indexes name one. */
function untouchedHolder(s: KernelState, touched: Touched, n: number): Task | undefined {
  const t = s.tasks.get(n);
  if (t && t.pid === n && !touched.tasks.includes(n)) return t;
  for (const pid of s.pgrps.get(n) ?? []) {
    const m = s.tasks.get(pid);
    if (m && m.pgid === n && !touched.tasks.includes(pid)) return m;
  }
  return undefined;
}

/**
 * The touched css_sets and how many live tasks reference each (reference: Invariants and postconditions css-set), from each one's
 * task list (`css_set.tasks`, the model's index): every pid there whose task is live and
 * references it counts. The index can only miss tasks, so when every count equals the refcount
 * and every touched live task is in its css_set's list, a missed task is one the event did not
 * touch, which referenced the css_set before the event while missing from the list, when the
 * refcount was right: the refcount would then be wrong by exactly the missed tasks (caught by the
 * periodic full check). Otherwise each is counted over the tasks (`touchedHolds`).
 */
export function cssSetRefs(s: KernelState, touched: Touched): { cssSets: readonly CssSet[]; refs: readonly number[] } {
  const memo = touched.holds;
  if (memo !== null && memo.s === s) return memo;
  const cssSets = touchedCssSets(s, touched);
  const refs: number[] = [];
  for (const cs of cssSets) {
    let n = 0;
    for (const pid of cs.tasks) {
      const t = s.tasks.get(pid);
      if (t && t.state !== 'zombie' && t.cssSet === cs.id) n++;
    }
    if (n !== cs.refcount) return touchedHolds(s, touched);
    refs.push(n);
  }
  for (const pid of touched.tasks) {
    const t = s.tasks.get(pid);
    if (t && t.state !== 'zombie' && s.cg.cssSets.get(t.cssSet)?.tasks.has(pid) === false) return touchedHolds(s, touched);
  }
  return { cssSets, refs };
}

/**
 * css_sets whose references the event changed and that still exist: those a touched task left or
 * joined (a task touched without changing css_set, e.g. signalled, changes none).
 */
function touchedCssSets(s: KernelState, touched: Touched): CssSet[] {
  const out: CssSet[] = [];
  const add = (cs: CssSet | null): void => {
    if (cs && s.cg.cssSets.get(cs.id) === cs && !out.includes(cs)) out.push(cs);
  };
  cssSetMoves(s, touched, (before, after) => {
    add(before);
    add(after);
  });
  return out;
}

/**
 * The numbers the tasks of VPS `id` (not the host) use, from the kept index of each VPS's tasks
 * (`touched.vpsTasks`): built from the task table, then brought up to date with the touched tasks.
 * A task's VPS is set when it is created and never changes, and a task enters or leaves the table
 * only at the choke points (hashTask, unhashTask), which touch it and so its VPS: any event that
 * changes a VPS's tasks names that VPS in `touched.vpses`, and vpid-bijection reads this then.
 */
export function vpsNumbers(s: KernelState, touched: Touched, id: number): Set<number> {
  const index = vpsTasks(s, touched);
  const used = new Set<number>();
  for (const pid of index.byVps.get(id) ?? []) {
    const t = s.tasks.get(pid);
    if (t && t.vps === id) used.add(t.pid).add(t.pgid).add(t.sid);
  }
  return used;
}

function vpsTasks(s: KernelState, touched: Touched): VpsTasks {
  let index = touched.vpsTasks;
  if (index === null || index.s !== s) {
    index = { s, byVps: new Map() };
    for (const [pid, t] of s.tasks) if (t.vps !== 0) listTask(index, t.vps, pid);
    touched.vpsTasks = index;
    return index;
  }
  // Idempotent: a touched pid is listed under the VPS of the task that has it now, or nowhere.
  for (const pid of touched.tasks) {
    const t = s.tasks.get(pid);
    for (const [vps, pids] of index.byVps) if (vps !== t?.vps) pids.delete(pid);
    if (t && t.vps !== 0) listTask(index, t.vps, pid);
  }
  return index;
}

function listTask(index: VpsTasks, vps: number, pid: number): void {
  let pids = index.byVps.get(vps);
  if (!pids) index.byVps.set(vps, (pids = new Set()));
  pids.add(pid);
}
