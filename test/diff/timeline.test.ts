import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bootKernel, step } from '../../src/replay/kernel.js';
import { Timeline } from '../../src/replay/timeline.js';
import { canonicalStateText } from '../../src/state/canonical.js';
import type { Event } from '../../src/trace/schema-types.js';
import { choiceOf, commandArb, FORKS, materialize } from './gen.js';

/** The reference: a fresh replay from boot to n. */
function replayTo(events: readonly Event[], n: number): { text: string; outcomes: string[] } {
  const k = bootKernel({});
  const outcomes = events.slice(0, n).map((ev) => JSON.stringify(step(k, ev)));
  return { text: canonicalStateText(k.s, k.v), outcomes };
}

const textAt = (t: Timeline, n: number): string => {
  const k = t.kernelAt(n);
  return canonicalStateText(k.s, k.v);
};

describe('Timeline.stateAt', () => {
  it('property: stateAt(n) equals a replay to n, for every n, seeking in any order (reference: Invariants and postconditions replay from a snapshot)', () => {
    fc.assert(
      fc.property(
        fc.array(commandArb, { maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.infiniteStream(fc.nat()),
        (commands, interval, order) => {
          const { events } = materialize(commands);
          const t = new Timeline({}, events, { interval });
          const points = Array.from({ length: events.length + 1 }, (_, i) => i);
          // A random seek order: forwards, backwards and repeated seeks all happen.
          const it = order[Symbol.iterator]();
          const seeks = points.map(() => points[(it.next().value as number) % points.length] as number).concat(points);
          for (const n of seeks) {
            const ref = replayTo(events, n);
            expect(textAt(t, n)).toBe(ref.text);
            if (n > 0) expect(JSON.stringify(t.outcome(n))).toBe(ref.outcomes[n - 1]);
          }
        },
      ),
      { numRuns: 60, seed: 5 },
    );
  });

  it('once the snapshots exist, any seek replays at most K - 1 events', () => {
    const { events } = materialize(Array.from({ length: 50 }, (_, i) => choiceOf(i)), 'cgroups-2009', FORKS);
    const K = 8;
    const t = new Timeline({}, events, { interval: K });
    t.stateAt(events.length);
    expect(t.snapshotCount).toBe(1 + Math.floor(events.length / K));
    for (const n of [49, 3, 17, 16, 40, 0, 50, 23]) {
      const before = t.replayedEvents;
      t.stateAt(n);
      expect(t.replayedEvents - before).toBeLessThanOrEqual(K - 1);
    }
  });

  it('seeking forwards continues from the cursor instead of restoring a snapshot', () => {
    const { events } = materialize(Array.from({ length: 20 }, (_, i) => choiceOf(i)), 'cgroups-2009', FORKS);
    const t = new Timeline({}, events, { interval: 100 });
    t.stateAt(10);
    const before = t.replayedEvents;
    t.stateAt(12);
    expect(t.replayedEvents - before).toBe(2);
  });

  it('snapshots are independent copies: changing a clone does not change the timeline', () => {
    const { events } = materialize([choiceOf(0)], 'cgroups-2009', FORKS);
    const t = new Timeline({}, events, { interval: 1 });
    const before = textAt(t, 1);
    const copy = t.cloneAt(1);
    copy.last = 999;
    copy.tasks.clear();
    textAt(t, 0); // leave and come back: the state is rebuilt from the snapshots
    expect(textAt(t, 1)).toBe(before);
  });

  it('the header semantics can be overridden', () => {
    const t = new Timeline({ semantics: 'cgroups-2009' }, [], { semantics: 'containers-2006' });
    expect(t.stateAt(0).semantics).toBe('containers-2006');
  });

  it('points outside 0..length and bad intervals are errors', () => {
    const t = new Timeline({}, [], {});
    expect(() => t.stateAt(1)).toThrow(RangeError);
    expect(() => t.stateAt(-1)).toThrow(RangeError);
    expect(() => t.outcome(0)).toThrow(RangeError);
    expect(() => new Timeline({}, [], { interval: 0 })).toThrow(RangeError);
  });
});
