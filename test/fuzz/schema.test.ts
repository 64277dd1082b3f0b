import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseArb, makeTables, runCase } from '../../src/fuzz/campaign.js';
import { replayLog } from '../../src/fuzz/properties.js';
import { parseTrace } from '../../src/trace/load.js';
import { NO_PROPERTIES } from './helpers.js';

// The round trip (reference: Invariants and postconditions) does not run the schema on every run's log: generated events are
// well-formed by construction. This is the check that they are, over every mode and both versions.
describe('generated traces are well-formed (schemas/, reference: JSON traces, Traces)', () => {
  it('the replay log of every sampled run (events with their outcomes as expect) passes the trace schema', () => {
    const tables = makeTables(true);
    const cases = fc.sample(caseArb(tables, 60, undefined, true), { seed: 11, numRuns: 400 });
    const modes = new Set<number>();
    let events = 0;
    for (const c of cases) {
      const r = runCase(tables, c, { events: { invariants: false, atomicity: false }, properties: NO_PROPERTIES });
      const log = JSON.parse(JSON.stringify(replayLog(r))) as unknown;
      expect(() => parseTrace(log, `run ${JSON.stringify(c.header)}`)).not.toThrow();
      modes.add(c.mode);
      events += r.events.length;
    }
    expect([...modes].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(events).toBeGreaterThan(5000);
  });
});
