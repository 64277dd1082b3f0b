import { describe, expect, it } from 'vitest';
import { Coverage } from '../../src/fuzz/coverage.js';
import { runTrace } from '../../src/fuzz/runner.js';
import { ALL_PROPERTIES } from '../../src/fuzz/properties.js';
import { campaign } from './helpers.js';

describe('fuzz campaigns (reference: Invariants and postconditions, Command line)', () => {
  it('cgroups-2009: every invariant after every event and every property hold (fixed seed)', () => {
    const r = campaign({ runs: 120, seed: 11, semantics: 'cgroups-2009' });
    expect(r.counterexample?.failure ?? null).toBeNull();
    expect(r.events).toBeGreaterThan(1000);
  }, 30_000);

  it('containers-2006 with --faults (inject events mixed in): no failure (fixed seed)', () => {
    const r = campaign({ runs: 120, seed: 12, semantics: 'containers-2006', faults: true });
    expect(r.counterexample?.failure ?? null).toBeNull();
    expect(r.coverage.has('inject', 'ret')).toBe(true);
  }, 30_000);

  it('is deterministic: the same seed gives the same runs, events and coverage', () => {
    const a = campaign({ runs: 40, seed: 5 });
    const b = campaign({ runs: 40, seed: 5 });
    expect(b.events).toBe(a.events);
    expect(b.coverage.toJSON()).toEqual(a.coverage.toJSON());
    expect(campaign({ runs: 40, seed: 6 }).coverage.toJSON()).not.toEqual(a.coverage.toJSON());
  }, 30_000);

  it('--shard i/n: shards are disjoint and their union is the unsharded campaign', () => {
    const whole = campaign({ runs: 45, seed: 9 });
    const parts = [0, 1, 2].map((index) => campaign({ runs: 45, seed: 9, shard: { index, count: 3 } }));
    expect(parts.map((p) => p.runs)).toEqual([15, 15, 15]);
    expect(parts.reduce((n, p) => n + p.events, 0)).toBe(whole.events);
    const union = new Coverage();
    for (const p of parts) union.merge(p.coverage);
    expect(union.toJSON()).toEqual(whole.coverage.toJSON());
  }, 30_000);

  it('runTrace re-checks a fixed trace (fuzz --replay): a clean trace passes with its outcomes', () => {
    const opts = { events: { invariants: true, atomicity: true }, properties: ALL_PROPERTIES, snapshotAt: 1 };
    const ok = runTrace({ kreplay: 1, semantics: 'cgroups-2009' }, [{ op: 'fork', by: 1 }, { op: 'setsid', by: 2 }, { op: 'getsid', by: 2 }], opts);
    expect(ok.failure).toBeNull();
    expect(ok.outcomes).toEqual([{ ret: 2 }, { ret: 2 }, { ret: 2 }]);
  });
});
