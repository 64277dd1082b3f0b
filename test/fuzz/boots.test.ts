import { VERSIONS } from '../../src/semantics/versions.js';
import { fitOverrides } from '../../src/semantics/mechanisms.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bootCopy, bootTemplate } from '../../src/fuzz/boots.js';
import { CONFIG_PRESETS, SEMANTICS } from '../../src/fuzz/header.js';
import { bootKernel, cloneKernel, copierOf, type Kernel, step } from '../../src/replay/kernel.js';
import { stateHash } from '../../src/state/canonical.js';
import type { KernelState } from '../../src/state/types.js';
import type { Event } from '../../src/trace/schema-types.js';

/** Every object reachable from `x` (Map keys and values, Set members, array items, own properties). */
function objects(x: unknown, into = new Set<object>()): Set<object> {
  if (typeof x !== 'object' || x === null || into.has(x)) return into;
  into.add(x);
  if (x instanceof Map) for (const [k, v] of x as Map<unknown, unknown>) objects(v, objects(k, into));
  else if (x instanceof Set) for (const v of x as Set<unknown>) objects(v, into);
  else for (const v of Object.values(x)) objects(v, into);
  return into;
}

/** A kernel as a copy of `s` (cloneKernel copies any plain data, not only a state's). */
const asKernel = (s: unknown): Kernel => ({ s: s as KernelState, v: bootKernel({ semantics: 'cgroups-2009' }).v });

const HEADERS = SEMANTICS.flatMap((semantics) => CONFIG_PRESETS.map((config) => ({ kreplay: 1, semantics, config: fitOverrides(VERSIONS[semantics], config) })));

const BUSY: Event[] = [
  { op: 'fork', by: 1 },
  { op: 'fork', by: 1 },
  { op: 'setsid', by: 2 },
  { op: 'mount', by: 1, hierarchy: 'h', subsystems: ['cpuset'] },
  { op: 'mkdir', by: 1, hierarchy: 'h', path: '/a' },
  { op: 'exit', by: 3, code: 0 },
];

describe('kernel copies and boot templates (snapshots, reference: Invariants and postconditions; boot state, reference: Boot state)', () => {
  it('property: cloneKernel copies plain data exactly (Maps, Sets, arrays, prototype-free objects) and shares no object with it', () => {
    const data = fc.anything({ withMap: true, withSet: true, withNullPrototype: true, withObjectString: false, withBoxedValues: false, withDate: false, withTypedArray: false, withSparseArray: false, withBigInt: true });
    fc.assert(
      fc.property(data, (x) => {
        const copy = cloneKernel(asKernel(x)).s as unknown;
        expect(copy).toStrictEqual(x);
        const original = objects(x);
        for (const o of objects(copy)) expect(original.has(o)).toBe(false);
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('an own "__proto__" key (as JSON.parse makes) is copied as a key, not as the prototype, by cloneKernel and by a template copier', () => {
    const x = JSON.parse('{"__proto__": {"a": 1}, "b": 2}') as Record<string, unknown>;
    for (const copy of [cloneKernel(asKernel(x)).s, copierOf(asKernel(x))().s] as unknown as Record<string, unknown>[]) {
      expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
      expect(Object.keys(copy)).toEqual(['__proto__', 'b']);
      expect(copy).toStrictEqual(structuredClone(x));
    }
  });

  it('cloneKernel keeps shared references shared, as structuredClone does', () => {
    const shared = { n: 1 };
    const copy = cloneKernel(asKernel({ a: shared, b: [shared], c: new Map([[1, shared]]) })).s as unknown as { a: object; b: object[]; c: Map<number, object> };
    expect(copy.a).not.toBe(shared);
    expect(copy.b[0]).toBe(copy.a);
    expect(copy.c.get(1)).toBe(copy.a);
  });

  it('a copied state equals structuredClone of it, and replays the same events to the same state', () => {
    for (const h of HEADERS) {
      const k = bootKernel(h);
      for (const ev of BUSY) step(k, ev);
      const copy = cloneKernel(k);
      expect(copy.s).toStrictEqual(structuredClone(k.s));
      const later: Event[] = [{ op: 'fork', by: 2 }, { op: 'attach', by: 1, hierarchy: 'h', path: '/a', pid: 2 }];
      const reference = cloneKernel(k);
      expect(later.map((ev) => step(copy, ev))).toEqual(later.map((ev) => step(reference, ev)));
      expect(stateHash(copy.s, copy.v)).toBe(stateHash(reference.s, reference.v));
    }
  });

  it('a boot through a template equals bootKernel for every preset of either version, and is a fresh copy each time', () => {
    for (const h of HEADERS) {
      const a = bootCopy(h);
      expect(a.s).toStrictEqual(bootKernel(h).s);
      expect(a.v).toBe(bootKernel(h).v);
      for (const ev of BUSY) step(a, ev);
      expect(bootCopy(h).s).toStrictEqual(bootKernel(h).s);
      expect(bootTemplate({ ...h, config: { ...h.config } })).toBe(bootTemplate(h));
    }
    expect(bootCopy(HEADERS[0]!, 'containers-2006').s).toStrictEqual(bootKernel(HEADERS[0]!, 'containers-2006').s);
  });

  it('a bad config throws as bootKernel does', () => {
    const bad = { kreplay: 1, semantics: 'cgroups-2009' as const, config: { builtinSubsystems: ['no-such'] } };
    expect(() => bootKernel(bad)).toThrow(/unknown subsystem/);
    expect(() => bootCopy(bad)).toThrow(/unknown subsystem/);
  });
});
