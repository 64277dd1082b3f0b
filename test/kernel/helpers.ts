import { expect } from 'vitest';
import { INVARIANTS } from '../../src/invariants/index.js';
import { PROCESS_INVARIANTS } from '../../src/invariants/process.js';
import type { Outcome } from '../../src/reducer/outcome.js';
import { replayEvents, type ReplayResult } from '../../src/replay/replay.js';
import type { Task } from '../../src/state/task.js';
import type { ConfigOverrides, Event } from '../../src/trace/schema-types.js';

/** Events written without `expect` in tests; `by` is optional only for environment events. */
export type Ev = Event;

/**
 * Replays `events` from boot with every invariant checked after every event and asserts that no
 * invariant fired; returns the outcomes and the kernel. A process test relies on this: each
 * scenario is also an invariant check.
 */
export function run(events: Ev[], config: ConfigOverrides = {}, semantics = 'cgroups-2009'): ReplayResult & { out: Outcome[] } {
  const r = replayEvents({ semantics: semantics as 'cgroups-2009', config }, events);
  expect(r.violations, JSON.stringify(r.violations)).toEqual([]);
  expect(r.divergences, JSON.stringify(r.divergences)).toEqual([]);
  return { ...r, out: r.outcomes };
}

/** The last outcome of `run`. */
export const last = (r: { out: Outcome[] }): Outcome => r.out[r.out.length - 1] as Outcome;

export const task = (r: ReplayResult, pid: number): Task | undefined => r.kernel.s.tasks.get(pid);

/** `n` forks by `by`, for building trees. */
export const forks = (by: number, n: number): Ev[] => Array.from({ length: n }, () => ({ op: 'fork', by }) as Ev);

export { INVARIANTS, PROCESS_INVARIANTS };
