import { describe, it, vi } from 'vitest';
import type { Ctx } from '../../src/reducer/context.js';
import type { Task } from '../../src/state/task.js';
import { NO_PROPERTIES } from './helpers.js';
import { expectCaught } from './plant.js';

// Planted bug: forget_original_parent skips the first child (its parent pointer stays on the dead task).
vi.mock('../../src/kernel/reparent.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/kernel/reparent.js')>();
  return {
    ...orig,
    forgetOriginalParent(ctx: Ctx, father: Task, reaper: Task): void {
      const [first, ...rest] = father.children;
      father.children = rest;
      orig.forgetOriginalParent(ctx, father, reaper);
      father.children = first === undefined ? [] : [first];
    },
  };
});

describe('planted bug: skip one reparenting (seed 002 forget_original_parent)', () => {
  it('is caught by an invariant with a counterexample of at most ten events', () => {
    expectCaught((f) => f.kind === 'invariant' || f.kind === 'crash', { semantics: 'cgroups-2009', properties: NO_PROPERTIES });
  }, 60_000);
});
