import { describe, it, vi } from 'vitest';
import { NO_PROPERTIES } from './helpers.js';
import { expectCaught } from './plant.js';

// Planted bug: validate_change skips its exclusive-sibling rule (exclusive siblings may overlap).
vi.mock('../../src/cgroup/subsystems/cpuset-exclusive.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/cgroup/subsystems/cpuset-exclusive.js')>();
  return { ...orig, exclusiveSiblingsOverlap: () => null };
});

describe('planted bug: skip the exclusive-sibling check (seed 001 cpuset validate_change)', () => {
  for (const semantics of ['containers-2006', 'cgroups-2009'] as const) {
    it(`${semantics}: is caught (cpuset-exclusive) with a counterexample of at most ten events`, () => {
      expectCaught('cpuset-exclusive', { semantics, runs: 1000, properties: NO_PROPERTIES });
    }, 60_000);
  }
});
