import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FLAG, gatherReport } from '../../src/report/data.js';
import { pageImportMap, PAGE_ENTRIES } from '../../src/report/modules.js';
import { decodeState, encodeState } from '../../src/report/snapshot.js';
import { bootKernel, step } from '../../src/replay/kernel.js';
import { stateHash } from '../../src/state/canonical.js';
import type { KernelState } from '../../src/state/types.js';
import { loadTrace } from '../../src/trace/load.js';

const root = join(import.meta.dirname, '..', '..');
const allTraces = (dir = join(root, 'traces')): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allTraces(p) : [p];
  });

describe('report snapshots (src/report/snapshot.ts)', () => {
  it('keeps Maps, Sets, prototype-free objects, an own __proto__ key, undefined and shared references', () => {
    const shared = { n: 1 };
    const free = Object.create(null) as Record<string, unknown>;
    Object.defineProperty(free, '__proto__', { value: 5, enumerable: true, writable: true, configurable: true });
    Reflect.set(free, 'constructor', 'x');
    const x = { m: new Map<unknown, unknown>([[1, shared], ['a', new Set([2, 3])]]), again: shared, free, u: undefined, inf: Infinity, list: [shared] };
    const y = decodeState(encodeState(x)) as typeof x;
    expect(y.m.get(1)).toBe(y.again);
    expect(y.list[0]).toBe(y.again);
    expect(y.m.get('a')).toEqual(new Set([2, 3]));
    expect(Object.getPrototypeOf(y.free)).toBeNull();
    expect(Object.keys(y.free)).toEqual(['__proto__', 'constructor']);
    expect(y.free.__proto__).toBe(5);
    expect('u' in y && y.u === undefined).toBe(true);
    expect(y.inf).toBe(Infinity);
  });

  it('a state decoded halfway through every bundled trace replays the rest to the same state hash (reference: Determinism and the state determinism)', () => {
    for (const path of allTraces()) {
      const t = loadTrace(path);
      const k = bootKernel(t.header);
      const half = Math.floor(t.events.length / 2);
      t.events.slice(0, half).forEach((ev) => step(k, ev));
      const copy = { s: decodeState(encodeState(k.s)) as KernelState, v: k.v };
      expect(stateHash(copy.s, copy.v), path).toBe(stateHash(k.s, k.v));
      for (const ev of t.events.slice(half)) expect(step(copy, ev), path).toEqual(step(k, ev));
      expect(stateHash(copy.s, copy.v), path).toBe(stateHash(k.s, k.v));
    }
  });
});

describe('report data (src/report/data.ts)', () => {
  it('one flag byte per event: outcome kind, expect present, divergence (traces/io/replay-basics.json)', () => {
    const d = gatherReport(join(root, 'traces', 'io', 'replay-basics.json'));
    expect(d.meta).toMatchObject({ events: 9, counts: { ret: 6, err: 3, blocked: 0 }, divergences: 0, violations: 0 });
    const flags = [...gunzipSync(d.flags)];
    expect(flags).toHaveLength(9);
    expect(flags.every((f) => (f & FLAG.expect) !== 0 && (f & FLAG.diverged) === 0)).toBe(true);
    expect(flags.filter((f) => f & FLAG.err)).toHaveLength(3);
    const events = gunzipSync(d.events).toString('utf8').trimEnd().split('\n');
    const outcomes = gunzipSync(d.outcomes).toString('utf8').trimEnd().split('\n');
    expect(events).toHaveLength(9);
    expect(JSON.parse(outcomes[5] as string)).toEqual({ ret: 3 });
    expect(JSON.parse(events[5] as string)).toMatchObject({ op: 'fork', by: 1 });
    expect(d.meta.reasons).toEqual({});
  });

  it('reasons plug in per event when the model gives them (issue 15 extension point)', () => {
    const d = gatherReport(join(root, 'traces', 'io', 'replay-basics.json'), { reasonOf: (i, _ev, o) => ('err' in o ? `event ${i} failed` : undefined) });
    expect(Object.keys(d.meta.reasons).length).toBe(3);
  });

  it('the page imports the built model by bare names; every module it reaches is in the import map', () => {
    const { imports } = pageImportMap();
    for (const e of PAGE_ENTRIES) expect(imports[`kreplay/${e}`]).toMatch(/^data:text\/javascript;base64,/);
    for (const url of Object.values(imports)) {
      const js = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64').toString('utf8');
      for (const m of js.matchAll(/(?:\bfrom\s*|\bimport\s*)['"]([^'"]+)['"]/g)) expect(imports[m[1] as string], m[1]).toBeDefined();
    }
  });
});
