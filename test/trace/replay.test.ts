import { describe, expect, it } from 'vitest';
import { matchesExpect } from '../../src/replay/expect.js';
import { replayEvents, replayFile } from '../../src/replay/replay.js';
import type { Event } from '../../src/trace/schema-types.js';
import { badInput, put, tempDir } from './helpers.js';

const dir = tempDir();
// `by` naming no task is ESRCH before any handler runs (reference: Outcomes), whatever the model implements.
const ghost = (by: number, expect?: Event['expect']): Event => ({ op: 'getpid', by, ...(expect ? { expect } : {}) });

describe('expect comparison (reference: Outcomes)', () => {
  it('compares ret / err / blocked, deep for object rets', () => {
    expect(matchesExpect({ ret: 2 }, { ret: 2 })).toBe(true);
    expect(matchesExpect({ ret: 2 }, { ret: 3 })).toBe(false);
    expect(matchesExpect({ ret: 0 }, { err: 'EPERM' })).toBe(false);
    expect(matchesExpect({ err: 'EPERM' }, { err: 'EPERM' })).toBe(true);
    expect(matchesExpect({ err: 'EPERM' }, { err: 'ESRCH' })).toBe(false);
    expect(matchesExpect({ blocked: true }, { blocked: true })).toBe(true);
    expect(matchesExpect({ blocked: true }, { ret: 0 })).toBe(false);
    const report = { pid: 2, status: { exited: 0 } };
    expect(matchesExpect({ ret: { pid: 2, status: { exited: 0 } } }, { ret: report })).toBe(true);
    expect(matchesExpect({ ret: { pid: 2, status: { exited: 1 } } }, { ret: report })).toBe(false);
    expect(matchesExpect({ ret: { pid: 2 } }, { ret: report })).toBe(false);
  });

  it('extra fields count only when the expectation lists them; an absent list is []', () => {
    expect(matchesExpect({ ret: 0 }, { ret: 0, released: ['cs:/a'] })).toBe(true);
    expect(matchesExpect({ ret: 0, released: ['cs:/a'] }, { ret: 0, released: ['cs:/a'] })).toBe(true);
    expect(matchesExpect({ ret: 0, released: ['cs:/b'] }, { ret: 0, released: ['cs:/a'] })).toBe(false);
    expect(matchesExpect({ ret: 0, released: [] }, { ret: 0 })).toBe(true);
    expect(matchesExpect({ err: 'ENOMEM', calls: ['x.create'] }, { err: 'ENOMEM' })).toBe(false);
  });
});

describe('replayEvents', () => {
  it('counts outcomes and reports divergences with 1-based indices', () => {
    const r = replayEvents({}, [ghost(99, { err: 'ESRCH' }), ghost(98, { ret: 98 }), ghost(97)]);
    expect(r.events).toBe(3);
    expect(r.counts).toEqual({ ret: 0, err: 3, blocked: 0 });
    expect(r.outcomes).toEqual([{ err: 'ESRCH' }, { err: 'ESRCH' }, { err: 'ESRCH' }]);
    expect(r.divergences).toEqual([{ index: 2, op: 'getpid', expected: { ret: 98 }, actual: { err: 'ESRCH' } }]);
    expect(r.violations).toEqual([]);
    expect(r.stateHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('is deterministic: the same trace gives the same hash; the semantics override boots that version', () => {
    const a = replayEvents({ semantics: 'cgroups-2009' }, [ghost(5)]);
    expect(replayEvents({ semantics: 'cgroups-2009' }, [ghost(5)]).stateHash).toBe(a.stateHash);
    const b = replayEvents({ semantics: 'cgroups-2009' }, [ghost(5)], { semantics: 'containers-2006' });
    expect(b.kernel.v.name).toBe('containers-2006');
    expect(b.stateHash).not.toBe(a.stateHash);
  });

  it('--at N stops after event N, and at 0 applies nothing (time travel, reference: Command line)', () => {
    const evs = [ghost(9), ghost(8, { ret: 1 }), ghost(7)];
    const r = replayEvents({}, evs, { at: 1 });
    expect(r.events).toBe(1);
    expect(r.divergences).toEqual([]);
    expect(replayEvents({}, evs, { at: 0 }).events).toBe(0);
    expect(replayEvents({}, evs, { at: 0 }).stateHash).toBe(replayEvents({}, []).stateHash);
    expect(replayEvents({}, evs, { at: 10 }).events).toBe(3);
  });

  it('onEvent sees every outcome; keepOutcomes false keeps none', () => {
    const seen: number[] = [];
    const r = replayEvents({}, [ghost(9), ghost(8)], { keepOutcomes: false, onEvent: (i) => seen.push(i) });
    expect(seen).toEqual([1, 2]);
    expect(r.outcomes).toEqual([]);
  });

  it('consumes a lazy iterable once, stopping early at --at', () => {
    let pulled = 0;
    function* gen(): Generator<Event> {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield ghost(1000 + i);
      }
    }
    replayEvents({}, gen(), { at: 5 });
    expect(pulled).toBe(5);
  });
});

describe('replayFile', () => {
  it('replays JSON and streamed NDJSON identically', () => {
    const events = [ghost(9, { err: 'ESRCH' }), ghost(8, { ret: 3 })];
    const j = replayFile(put(dir, 't.json', { kreplay: 1, semantics: 'containers-2006', events }));
    const n = replayFile(put(dir, 't.ndjson', [{ kreplay: 1, semantics: 'containers-2006' }, ...events].map((x) => JSON.stringify(x)).join('\n')));
    for (const r of [j, n]) {
      expect(r.semantics).toBe('containers-2006');
      expect(r.events).toBe(2);
      expect(r.outcomes).toEqual([]);
      expect(r.divergences).toEqual([{ index: 2, op: 'getpid', expected: { ret: 3 }, actual: { err: 'ESRCH' } }]);
    }
    expect(n.stateHash).toBe(j.stateHash);
    expect(n.trace).toMatch(/t\.ndjson$/);
  });

  it('streams a large NDJSON trace without keeping its events or outcomes', () => {
    const lines = ['{"kreplay":1}'];
    for (let i = 0; i < 20_000; i++) lines.push(`{"op":"getpid","by":${100 + (i % 50)},"expect":{"err":"ESRCH"}}`);
    const r = replayFile(put(dir, 'big.ndjson', lines.join('\n') + '\n'), { invariants: false });
    expect(r.events).toBe(20_000);
    expect(r.counts.err).toBe(20_000);
    expect(r.outcomes).toEqual([]);
  });

  it('bad input anywhere in the file is a located BadInputError', () => {
    const path = put(dir, 'late.ndjson', '{"kreplay":1}\n{"op":"getpid","by":9}\n{"op":"getpid","by":"9"}\n');
    expect(badInput(() => replayFile(path))).toBe(`${path}:3 event 2 (/by): expected an integer, got "9"`);
    expect(badInput(() => replayFile(path, { semantics: 'nope' }))).toMatch(/^--semantics: unknown semantics "nope"/);
  });
});
