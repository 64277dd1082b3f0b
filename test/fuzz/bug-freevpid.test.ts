import { describe, it, vi } from 'vitest';
import { NO_PROPERTIES } from './helpers.js';
import { expectCaught } from './plant.js';

// Planted bug: free_vpid forgets to drop the sparse mapping of a number no longer in use.
vi.mock('../../src/vpid/map.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/vpid/map.js')>();
  return { ...orig, freeVpid: () => undefined };
});

describe('planted bug: forget a freeVpid (seed 004 free_vpid)', () => {
  it('is caught (vpid-bijection) with a counterexample of at most ten events', () => {
    expectCaught('vpid-bijection', { semantics: 'cgroups-2009', runs: 600, properties: NO_PROPERTIES });
  }, 60_000);
});
