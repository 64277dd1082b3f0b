import { expect } from 'vitest';
import type { Outcome } from '../../src/reducer/outcome.js';
import { replayEvents } from '../../src/replay/replay.js';
import type { Kernel } from '../../src/replay/kernel.js';
import type { ConfigOverrides, Event } from '../../src/trace/schema-types.js';

/** Replays `events` from boot, checks that no invariant fired, and returns the outcomes and kernel. */
export function run(events: Event[], config: ConfigOverrides = {}, semantics?: string): { out: Outcome[]; k: Kernel } {
  const r = replayEvents({ config, ...(semantics ? { semantics: semantics as 'cgroups-2009' } : {}) }, events);
  expect(r.violations).toEqual([]);
  return { out: r.outcomes, k: r.kernel };
}

/** The outcome of the last event. */
export function last(events: Event[], config: ConfigOverrides = {}): Outcome {
  return run(events, config).out.at(-1) as Outcome;
}

/** A VPS 101 created by global init: its init is pid 2; `n` inside forks by the init give pids 3.. (vpids 1027..). */
export function vpsWith(n: number): Event[] {
  const evs: Event[] = [{ op: 'vps_create', by: 1, vps: 101 }];
  for (let i = 0; i < n; i++) evs.push({ op: 'fork', by: 2 });
  return evs;
}
