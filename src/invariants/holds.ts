import type { CssSet } from '../cgroup/types.js';
import { cssSetMoves, type Touched, type TouchedHolds } from '../reducer/touched.js';
import type { KernelState } from '../state/types.js';

/**
 * The holds of the numbers, VPSes and css_sets an event touched, from one pass over the tasks,
 * counted once per event and shared by pid-unique (how often each number is held), vpid-bijection
 * (which VPSes use each number, which numbers each VPS uses) and css-set (how many live tasks
 * reference each css_set). Computed after the touched lists are final (the checker dedupes them
 * first); `clearTouched` drops it.
 */
export function touchedHolds(s: KernelState, touched: Touched): TouchedHolds {
  const memo = touched.holds;
  if (memo !== null && memo.s === s) return memo;
  const nums = touched.numbers;
  const ids = touched.vpses;
  const cssSets = touchedCssSets(s, touched);
  const setIds = cssSets.map((cs) => cs.id);
  const counts = nums.map(() => 0);
  const users = nums.map((): number[] => []);
  const used = ids.map(() => new Set<number>());
  const refs = cssSets.map(() => 0);
  // Most events touch no number, VPS or css_set reference: nothing to count.
  const tasks = nums.length > 0 || ids.length > 0 || setIds.length > 0 ? s.tasks.values() : [];
  for (const t of tasks) {
    if (ids.length > 0) {
      const i = ids.indexOf(t.vps);
      if (i >= 0) (used[i] as Set<number>).add(t.pid).add(t.pgid).add(t.sid);
    }
    if (setIds.length > 0 && t.state !== 'zombie') {
      const i = setIds.indexOf(t.cssSet);
      if (i >= 0) refs[i]++;
    }
    for (let j = 0; j < nums.length; j++) {
      const n = nums[j];
      const c = (t.pid === n ? 1 : 0) + (t.pgid === n ? 1 : 0) + (t.sid === n ? 1 : 0);
      if (c === 0) continue;
      counts[j] += c;
      const u = users[j] as number[];
      if (!u.includes(t.vps)) u.push(t.vps);
    }
  }
  const holds: TouchedHolds = { s, counts, users, used, cssSets, refs };
  touched.holds = holds;
  return holds;
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
