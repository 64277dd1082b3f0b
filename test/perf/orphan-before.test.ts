import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOrphanedPgrp } from '../../src/kernel/orphan.js';
import { emptyTouched } from '../../src/invariants/touched.js';
import type { Outcome } from '../../src/reducer/outcome.js';
import { bootKernel, type Kernel, step } from '../../src/replay/kernel.js';
import { TouchRecorder } from '../../src/replay/record.js';
import type { KernelState } from '../../src/state/types.js';
import type { Event, TraceHeader } from '../../src/trace/schema-types.js';
import { BENCH_HEADER, benchWorkload } from '../../src/workload/bench.js';

const header: TraceHeader = BENCH_HEADER;

/** Every pgrp in the task table (present before or after), with whether it is orphaned. */
function orphaned(s: KernelState): Map<number, boolean> {
  const out = new Map<number, boolean>();
  for (const pgid of s.pgrps.keys()) out.set(pgid, isOrphanedPgrp(s, pgid));
  return out;
}

/**
 * orphan-stopped's scoped check takes the orphaned state before the event from what exit
 * processing recorded (touched.orphanedBefore, src/replay/record.ts `TouchRecorder.exit`): every recorded
 * state is the one before the event, and every pgrp whose orphaned state the event changed is recorded.
 */
describe('orphan-stopped: the pgrps exit processing records (2.6.18 will_become_orphaned_pgrp)', () => {
  it('property: on random workloads, recorded states are the pre-event ones and cover every pgrp the event (un)orphaned', () => {
    let exits = 0;
    fc.assert(
      fc.property(fc.nat(10_000), fc.integer({ min: 50, max: 600 }), (seed, n) => {
        const checked = (k: Kernel, ev: Event): Outcome => {
          const before = orphaned(k.s);
          const touched = emptyTouched();
          const outcome = step(k, ev, new TouchRecorder(k.s, touched));
          if (!touched.exited) return outcome;
          for (const [pgid, was] of touched.orphanedBefore) expect(was, `pgrp ${pgid}`).toBe(before.get(pgid) ?? true);
          for (const [pgid, is] of orphaned(k.s)) {
            if ((before.get(pgid) ?? true) !== is) expect(touched.orphanedBefore.has(pgid), `pgrp ${pgid} changed`).toBe(true);
          }
          exits++;
          return outcome;
        };
        const w = benchWorkload(bootKernel(header), checked, seed, 48);
        for (let j = 0; j < n; j++) w.next();
      }),
      { numRuns: 25, seed: 5 },
    );
    expect(exits).toBeGreaterThan(100);
  });
});
