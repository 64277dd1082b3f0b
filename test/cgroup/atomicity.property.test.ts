import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INVARIANTS } from '../../src/invariants/index.js';
import { bootKernel, step } from '../../src/replay/kernel.js';
import { canonicalStateText } from '../../src/state/canonical.js';
import type { Event } from '../../src/trace/schema-types.js';

const H = ['cs', 'n'];
const paths = ['/', '/a', '/b', '/a/b', '/a/c'];
const files = ['tasks', 'notify_on_release', 'cpuset.cpus', 'cpuset.mems', 'cpuset.cpu_exclusive', 'cpuset.mem_exclusive', 'cpus', 'mems', 'cpu_exclusive', 'net_cls.classid', 'classid'];
const values = ['', '0', '1', '0-1', '1-2', '2', '3', '0-3', 'x', '2\n', ' 1 '];
const subsys = ['cpuset', 'net_cls', 'debug', 'faulty', 'nosuch'];
const by = fc.integer({ min: 1, max: 4 });
const h = fc.constantFrom(...H, 'container');
const path = fc.constantFrom(...paths);

const event: fc.Arbitrary<Event> = fc.oneof(
  fc.record({ op: fc.constant('fork'), by }),
  fc.record({ op: fc.constant('exit'), by: fc.integer({ min: 2, max: 6 }), code: fc.constant(0) }),
  fc.record({ op: fc.constant('mkdir'), by, hierarchy: h, path }),
  fc.record({ op: fc.constant('rmdir'), by, hierarchy: h, path }),
  fc.record({ op: fc.constant('attach'), by, hierarchy: h, path, pid: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ op: fc.constant('write'), by, hierarchy: h, path, file: fc.constantFrom(...files), value: fc.constantFrom(...values, '2', '3') }),
  fc.record({ op: fc.constant('mount'), by, hierarchy: fc.constantFrom(...H), subsystems: fc.subarray(['cpuset', 'net_cls', 'faulty', 'debug']) }),
  fc.record({ op: fc.constant('umount'), by, hierarchy: fc.constantFrom(...H) }),
  fc.record({ op: fc.constant('load_subsys'), by, name: fc.constantFrom(...subsys) }),
  fc.record({ op: fc.constant('unload_subsys'), by, name: fc.constantFrom(...subsys) }),
  fc.record({ op: fc.constant('register_subsys'), by, name: fc.constantFrom(...subsys) }),
  fc.record({ op: fc.constantFrom('cpu_down', 'cpu_up'), cpu: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ op: fc.constantFrom('mem_down', 'mem_up'), mem: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ op: fc.constant('inject'), point: fc.constantFrom('create', 'can_attach'), subsys: fc.constantFrom('cpuset', 'faulty', 'net_cls'), err: fc.constantFrom('ENOMEM', 'EPERM') }),
) as fc.Arbitrary<Event>;

const withoutInjections = (text: string): string => {
  const st = JSON.parse(text) as Record<string, unknown>;
  delete st.injections;
  return JSON.stringify(st);
};

describe('cgroup operations: atomicity and invariants (reference: Outcomes, Invariants and postconditions)', () => {
  it.each(['containers-2006', 'cgroups-2009'] as const)('%s: every err leaves the state unchanged (injections aside); invariants hold', (semantics) => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (events) => {
        const k = bootKernel({ semantics, config: { mems: 2 } });
        for (const ev of events) {
          const before = canonicalStateText(k.s, k.v);
          const out = step(k, ev);
          if ('err' in out || 'blocked' in out) expect(withoutInjections(canonicalStateText(k.s, k.v))).toBe(withoutInjections(before));
          for (const inv of INVARIANTS) {
            if (!inv.id.startsWith('cgroup') && !inv.id.startsWith('css') && !inv.id.startsWith('subsys') && !inv.id.startsWith('cpuset')) continue;
            expect(inv.check(k.s, k.v, undefined)).toEqual([]);
          }
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
