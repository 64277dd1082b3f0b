import { describe, expect, it } from 'vitest';
import { firstDivergence } from '../../src/diff/first-divergence.js';
import type { Event } from '../../src/trace/schema-types.js';

const inject = (err: string, count = 1): Event => ({ op: 'inject', point: 'fork', err, count });
const getpid = (by: number): Event => ({ op: 'getpid', by });

describe('firstDivergence', () => {
  it('identical traces: no divergence', () => {
    const events = [inject('ENOMEM'), getpid(1)];
    expect(firstDivergence({ header: {}, events }, { header: {}, events })).toEqual({ outcome: null, state: null });
  });

  it('reports the first outcome divergence with index (1-based), op and both outcomes', () => {
    // event 2: a live caller vs a caller that names no task (SPEC 1.4: ESRCH)
    const a = [inject('ENOMEM'), getpid(1), getpid(1)];
    const b = [inject('ENOMEM'), getpid(77), getpid(1)];
    const r = firstDivergence({ header: {}, events: a }, { header: {}, events: b });
    expect(r.outcome?.index).toBe(2);
    expect(r.outcome?.op).toBe('getpid');
    expect(r.outcome?.b).toEqual({ err: 'ESRCH' });
    expect(r.outcome?.a).not.toEqual({ err: 'ESRCH' });
    expect(r.state).toBeNull();
  });

  it('reports the first state divergence separately, with the diff at that point', () => {
    const a = [getpid(1), inject('ENOMEM', 2), getpid(1)];
    const b = [getpid(1), inject('ENOMEM', 3), getpid(77)];
    const r = firstDivergence({ header: {}, events: a }, { header: {}, events: b });
    expect(r.state).toEqual({
      index: 2,
      changes: [{ area: 'kernel', path: 'injections[0].count', kind: 'changed', before: 2, after: 3 }],
    });
    expect(r.outcome?.index).toBe(3);
  });

  it('index 0 is the boot state (a config difference)', () => {
    const r = firstDivergence({ header: { config: { cpus: 2 } }, events: [] }, { header: {}, events: [] });
    expect(r.state?.index).toBe(0);
    expect(r.state?.changes).toContainEqual({ area: 'kernel', path: 'config.cpus', kind: 'changed', before: 2, after: 4 });
    expect(r.outcome).toBeNull();
  });

  it('two traces sharing a prefix: the longer one diverges at its first extra event, the other side is null', () => {
    const prefix = [getpid(1), getpid(1)];
    const r = firstDivergence({ header: {}, events: prefix }, { header: {}, events: [...prefix, getpid(1), inject('EPERM')] });
    expect(r.outcome).toMatchObject({ index: 3, op: 'getpid', a: null });
    expect(r.outcome?.b).not.toBeNull();
    expect(r.state?.index).toBe(4);
    expect(r.state?.changes.map((c) => `${c.kind} ${c.path}`)).toEqual(['added injections[0]']);
  });

  it('semantics override per side: the boot states of two versions differ at index 0', () => {
    const r = firstDivergence({ header: {}, events: [], semantics: 'containers-2006' }, { header: {}, events: [], semantics: 'cgroups-2009' });
    expect(r.state?.index).toBe(0);
    expect(r.state?.changes).toContainEqual({ area: 'kernel', path: 'semantics', kind: 'changed', before: 'containers-2006', after: 'cgroups-2009' });
  });

  it('limit bounds the search (--at)', () => {
    const a = [getpid(1), getpid(1), getpid(1)];
    const b = [getpid(1), getpid(1), getpid(77)];
    expect(firstDivergence({ header: {}, events: a }, { header: {}, events: b }, { limit: 2 }).outcome).toBeNull();
    expect(firstDivergence({ header: {}, events: a }, { header: {}, events: b }, { limit: 3 }).outcome?.index).toBe(3);
  });

  it('from skips divergences before an event (the boot states of two versions always differ)', () => {
    const a = [getpid(1), inject('ENOMEM'), getpid(77)];
    const b = [getpid(77), inject('EPERM'), getpid(1)];
    const side = (events: Event[], semantics: string) => ({ header: {}, events, semantics });
    expect(firstDivergence(side(a, 'containers-2006'), side(b, 'cgroups-2009')).outcome?.index).toBe(1);
    const r = firstDivergence(side(a, 'containers-2006'), side(b, 'cgroups-2009'), { from: 3 });
    expect(r.outcome).toEqual({ index: 3, op: 'getpid', a: { err: 'ESRCH' }, b: { ret: 1 } });
    expect(r.state?.index).toBe(3);
  });

  it('stops as soon as both divergences are known (one lock-step pass, no replay per candidate)', () => {
    let applied = 0;
    const counting = (ev: Event): Event =>
      new Proxy(ev, {
        get(target, prop, recv) {
          if (prop === 'op') applied++;
          return Reflect.get(target, prop, recv);
        },
      });
    const long = Array.from({ length: 1000 }, () => counting(getpid(1)));
    // event 1 differs in outcome (ret 0 vs ESRCH) and in state (a queued injection)
    const r = firstDivergence({ header: {}, events: [inject('ENOMEM'), ...long] }, { header: {}, events: [getpid(77), ...long] });
    expect(r.outcome).toEqual({ index: 1, op: 'inject', a: { ret: 0 }, b: { err: 'ESRCH' } });
    expect(r.state?.index).toBe(1);
    expect(applied).toBe(0);
  });
});
