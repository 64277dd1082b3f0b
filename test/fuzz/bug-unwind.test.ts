import { describe, expect, it, vi } from 'vitest';
import type { Ctx } from '../../src/reducer/context.js';
import type { Cgroup, Hierarchy } from '../../src/cgroup/types.js';
import { runTrace } from '../../src/fuzz/runner.js';
import { NO_PROPERTIES } from './helpers.js';
import { BUDGET, CAUGHT_SEEDS, expectCaught } from './plant.js';

// Planted bug: a failed mkdir unwinds its creates in the other version's order (reverse where
// the version destroys in call order, call order where it reverses).
vi.mock('../../src/cgroup/callbacks.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/cgroup/callbacks.js')>();
  return {
    ...orig,
    unwindCreates(ctx: Ctx, h: Hierarchy, cg: Cgroup, created: readonly string[]): void {
      const wrong = ctx.v.createUnwind === 'reverse' ? created : [...created].reverse();
      for (const name of wrong) orig.invokeDestroy(ctx, name, h, cg);
    },
  };
});

describe('planted bug: unwind creates in the wrong order (reference: mkdir mkdir; seed 001 container_create, 2.6.33 err_destroy)', () => {
  it('a hand-written failed mkdir shows the wrong order to callback-order', () => {
    const r = runTrace(
      { kreplay: 1, semantics: 'containers-2006', config: { traceCallbacks: true } },
      [
        { op: 'register_subsys', by: 1, name: 'net_cls' },
        { op: 'register_subsys', by: 1, name: 'faulty' },
        { op: 'inject', point: 'create', subsys: 'faulty', err: 'ENOMEM' },
        { op: 'mkdir', by: 1, path: '/a' },
      ],
      { events: { invariants: true, atomicity: true }, properties: NO_PROPERTIES },
    );
    expect(r.outcomes[3]).toEqual({ err: 'ENOMEM', calls: ['cpuset.create', 'net_cls.create', 'faulty.create!ENOMEM', 'cpuset.destroy', 'net_cls.destroy'] });
    expect(r.failure?.name).toBe('callback-order');
  });

  // cgroup-focused runs set subsystems up first (2006 registers plugins before any mkdir, 2009 loads
  // and mounts several on one hierarchy) and inject create faults into a subsystem called after others
  for (const semantics of ['containers-2006', 'cgroups-2009'] as const) {
    for (const seed of CAUGHT_SEEDS) {
      it(`${semantics}, seed ${seed}: the campaign catches it (callback-order) within ${BUDGET.runs} runs, counterexample of at most ten events`, () => {
        const f = expectCaught('callback-order', { semantics, faults: true, seed, properties: NO_PROPERTIES });
        expect(f.message).toContain('after the failed create');
      });
    }
  }
});
