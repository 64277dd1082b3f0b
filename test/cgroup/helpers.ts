import { replayEvents } from '../../src/replay/replay.js';
import type { Outcome } from '../../src/reducer/outcome.js';
import type { ConfigOverrides, Event } from '../../src/trace/schema-types.js';
import { canonicalStateText } from '../../src/state/canonical.js';
import type { Kernel } from '../../src/replay/kernel.js';

export type Semantics = 'containers-2006' | 'cgroups-2009';

/** Replays `events` and insists on zero invariant violations; returns outcomes and the kernel. */
export function run(semantics: Semantics, events: Event[], config: ConfigOverrides = {}): { outcomes: Outcome[]; k: Kernel; last: Outcome } {
  const r = replayEvents({ semantics, config }, events);
  if (r.violations.length > 0) throw new Error(`invariant violations: ${JSON.stringify(r.violations)}`);
  return { outcomes: r.outcomes, k: r.kernel, last: r.outcomes[r.outcomes.length - 1] as Outcome };
}

/** The outcome of the last event, with the canonical state before and after it (atomicity checks). */
export function lastWithStates(semantics: Semantics, events: Event[], config: ConfigOverrides = {}): { last: Outcome; before: string; after: string } {
  const prefix = run(semantics, events.slice(0, -1), config);
  const before = canonicalStateText(prefix.k.s, prefix.k.v);
  const all = run(semantics, events, config);
  return { last: all.last, before, after: canonicalStateText(all.k.s, all.k.v) };
}

export const H9 = 'cs';
/** A 2009 mount of cpuset (and whatever else is named) on hierarchy `cs`. */
export const mountCs = (subsystems: string[] = ['cpuset'], noprefix = false): Event =>
  ({ op: 'mount', by: 1, hierarchy: H9, subsystems, ...(noprefix ? { noprefix } : {}) }) as Event;
