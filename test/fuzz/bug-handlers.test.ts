import { afterEach, describe, expect, it } from 'vitest';
import { ALL_PROPERTIES } from '../../src/fuzz/properties.js';
import { runTrace } from '../../src/fuzz/runner.js';
import { err, ok } from '../../src/reducer/outcome.js';
import type { Event } from '../../src/trace/schema-types.js';
import { expectCaught, NO_POSTS, plantHandler, restoreHandlers } from './plant.js';

afterEach(restoreHandlers);

describe('planted bugs in handlers are found by the reference: Invariants and postconditions properties', () => {
  it('atomicity: a failing setpgid that moves the allocator (reference: Outcomes verify, then change)', () => {
    plantHandler('setpgid', (orig) => (ctx, ev, caller) => {
      const o = orig(ctx, ev, caller);
      if ('err' in o) ctx.s.last++;
      return o;
    });
    const f = expectCaught('atomicity');
    expect(f.message).toContain('setpgid failed');
  }, 60_000);

  it('determinism: getppid that fails every second call, so a run and its second replay always differ (reference: Determinism and the state)', () => {
    let calls = 0;
    plantHandler('getppid', (orig) => (ctx, ev, caller) => (++calls % 2 === 0 ? err('EINVAL', 'injected', 'planted bug') : orig(ctx, ev, caller)));
    // seed 2: seed 1's first failing run opens with the stale-images preset, whose 13-event
    // prologue (part of the run) the shrinker keeps
    expectCaught((f) => f.name === 'determinism' || f.name === 'snapshot' || f.name === 'round-trip' || f.name === 'checkpoint-transparency', { ...NO_POSTS, seed: 2 });
  }, 60_000);

  it('snapshot: kill that reads what a structured copy of the state loses (reference: Invariants and postconditions replay from any snapshot)', () => {
    // a symbol-keyed mark that fork leaves on the state: structuredClone drops it, a replay from the start sets it again
    const MARK = Symbol('forked');
    const marks = (ctx: { s: object }): Record<symbol, boolean> => ctx.s as Record<symbol, boolean>;
    plantHandler('fork', (orig) => (ctx, ev, caller) => {
      marks(ctx)[MARK] = true;
      return orig(ctx, ev, caller);
    });
    // a forked process exists (a thread of init, made by clone_thread, is no fork)
    const forked = (ctx: { s: { tasks: Map<number, { pid: number; tgid: number }> } }): boolean => [...ctx.s.tasks.values()].some((t) => t.pid !== 1 && t.tgid === t.pid);
    plantHandler('kill', (orig) => (ctx, ev, caller) => (forked(ctx) && !marks(ctx)[MARK] ? err('EPERM', 'injected', 'planted bug') : orig(ctx, ev, caller)));
    // seed 2: with the thread and prctl ops in the op table, seed 1's counterexample shrinks only to 22 events
    const f = expectCaught('snapshot', { ...NO_POSTS, seed: 2 });
    expect(f.message).toContain('from the snapshot');
  }, 60_000);

  it('determinism, not snapshot, when the shadow differs after continuing from the snapshot but a replay through a copy does not (reference: Determinism and the state)', () => {
    // only the second getppid of the process fails: the shadow's first, never a fresh replay's
    let calls = 0;
    plantHandler('getppid', (orig) => (ctx, ev, caller) => (++calls === 2 ? err('EINVAL', 'injected', 'planted bug') : orig(ctx, ev, caller)));
    const events: Event[] = [{ op: 'fork', by: 1 }, { op: 'getppid', by: 2 }, { op: 'getppid', by: 2 }, { op: 'getppid', by: 2 }];
    const r = runTrace({ kreplay: 1, semantics: 'cgroups-2009' }, events, { events: { invariants: true, atomicity: true }, properties: ALL_PROPERTIES, snapshotAt: 0 });
    expect(r.failure).toMatchObject({ name: 'determinism', index: 2 });
  });

  it('round trip: getpid that returns a number JSON cannot write (Infinity reads back as null, reference: Invariants and postconditions)', () => {
    plantHandler('getpid', (orig) => (ctx, ev, caller) => (caller.pid > 1 ? ok(Infinity) : orig(ctx, ev, caller)));
    // seed 5: since sched_setaffinity and sched_getaffinity joined the op table, the first failing
    // run of seeds 1 to 4 opens with a preset whose 13-event prologue the shrinker keeps
    expectCaught('round-trip', { ...NO_POSTS, seed: 5 });
  }, 60_000);

  it('location transparency: getpid that answers differently off node 0 (reference: migrate)', () => {
    plantHandler('getpid', (orig) => (ctx, ev, caller) => (caller.node !== 0 ? ok(0) : orig(ctx, ev, caller)));
    // cluster nodes exist only in the seed-era versions: a campaign of one of them (linux-6 has none)
    // seed 3: since sched_setaffinity and sched_getaffinity joined the op table, seed 1 first
    // migrates a task that then calls getpid between run 2000 and 3000
    expectCaught('location-transparency', { runs: 1000, semantics: 'cgroups-2009', ...NO_POSTS, seed: 3 });
  }, 60_000);

  it('version agreement: exec that fails only in containers-2006 (reference: Invariants and postconditions)', () => {
    plantHandler('exec', (orig) => (ctx, ev, caller) => (ctx.v.name === 'containers-2006' ? err('EPERM', 'injected', 'planted bug') : orig(ctx, ev, caller)));
    expectCaught('version-agreement', { semantics: 'cgroups-2009' });
  }, 60_000);
});
