import { describe, it, vi } from 'vitest';
import { NO_PROPERTIES } from './helpers.js';
import { BUDGET, CAUGHT_SEEDS, expectCaught } from './plant.js';

// Planted bug: validate_change skips its exclusive-sibling rule (exclusive siblings may overlap).
vi.mock('../../src/cgroup/subsystems/cpuset-exclusive.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/cgroup/subsystems/cpuset-exclusive.js')>();
  return { ...orig, exclusiveSiblingsOverlap: () => null };
});

describe('planted bug: skip the exclusive-sibling check (seed 001 cpuset validate_change)', () => {
  for (const semantics of ['containers-2006', 'cgroups-2009'] as const) {
    for (const seed of CAUGHT_SEEDS) {
      it(`${semantics}, seed ${seed}: is caught (cpuset-exclusive) within ${BUDGET.runs} runs, counterexample of at most ten events`, () => {
        expectCaught('cpuset-exclusive', { semantics, seed, properties: NO_PROPERTIES });
      });
    }
  }
});
