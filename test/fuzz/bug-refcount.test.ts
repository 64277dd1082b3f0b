import { describe, it, vi } from 'vitest';
import type { CssSet } from '../../src/cgroup/types.js';
import { NO_PROPERTIES } from './helpers.js';
import { expectCaught } from './plant.js';

// Planted bug: get_css_set takes one reference too many when a css_set gains its second user.
vi.mock('../../src/cgroup/cssset.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/cgroup/cssset.js')>();
  return { ...orig, getCssSet: (cs: CssSet) => { cs.refcount += cs.refcount === 1 ? 2 : 1; } };
});

describe('planted bug: a css_set refcount off by one (seed 003 css_set sharing)', () => {
  it('is caught (css-set) with a counterexample of at most ten events', () => {
    expectCaught('css-set', { semantics: 'cgroups-2009', properties: NO_PROPERTIES });
  }, 60_000);
});
