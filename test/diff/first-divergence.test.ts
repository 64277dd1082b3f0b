import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstDivergence } from '../../src/diff/first-divergence.js';
import { Timeline } from '../../src/replay/timeline.js';
import { bootKernel, step } from '../../src/replay/kernel.js';
import { canonicalStateText } from '../../src/state/canonical.js';
import type { Event, ModelErrno } from '../../src/trace/schema-types.js';
import { choiceOf, commandArb, FORKS, materialize } from './gen.js';

const inject = (err: ModelErrno, count = 1): Event => ({ op: 'inject', point: 'fork', err, count });
const getpid = (by: number): Event => ({ op: 'getpid', by });

describe('firstDivergence', () => {
  it('identical traces: no divergence', () => {
    const events = [inject('ENOMEM'), getpid(1)];
    expect(firstDivergence({ header: {}, events }, { header: {}, events })).toEqual({ outcome: null, state: null });
  });

  it('reports the first outcome divergence with index (1-based), op and both outcomes', () => {
    // event 2: a live caller vs a caller that names no task (reference: Outcomes: ESRCH)
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

describe('firstDivergence on generated process traces', () => {
  it('a long shared prefix, then one differing event: both divergences are found there', () => {
    const { events } = materialize(Array.from({ length: 300 }, (_, i) => choiceOf(i)));
    const a = [...events, { op: 'fork', by: 1 } as Event];
    const b = [...events, { op: 'exit', by: 999999, code: 0 } as Event];
    // the pid the last fork of side a gets
    const k = bootKernel({});
    const child = a.map((ev) => step(k, ev)).at(-1) as { ret: number };
    const r = firstDivergence({ header: {}, events: a }, { header: {}, events: b });
    expect(r.outcome).toMatchObject({ index: 301, op: 'fork', b: { err: 'ESRCH' } });
    expect(r.state?.index).toBe(301);
    expect(r.state?.changes.some((c) => c.kind === 'removed' && c.path === `tasks[${child.ret}]`)).toBe(true);
  });

  it('events that differ only in expect, note or t are the same event', () => {
    const { events } = materialize(Array.from({ length: 40 }, (_, i) => choiceOf(i)), 'cgroups-2009', FORKS);
    const noted = events.map((ev) => ({ ...ev, note: 'x', t: 1, expect: { ret: 0 } }) as Event);
    expect(firstDivergence({ header: {}, events }, { header: {}, events: noted })).toEqual({ outcome: null, state: null });
  });

  it('property: the reported indexes agree with replaying both sides to every point', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 25 }), fc.array(commandArb, { maxLength: 25 }), fc.nat(25), (c1, c2, cut) => {
        const a = materialize(c1).events;
        const b = [...a.slice(0, cut), ...materialize(c2).events.slice(0, 25)];
        const r = firstDivergence({ header: {}, events: a }, { header: {}, events: b });
        // Reference: the naive way, a fresh replay of each side to every n.
        const n = Math.max(a.length, b.length);
        const ta = new Timeline({}, a, { interval: 4 });
        const tb = new Timeline({}, b, { interval: 4 });
        let outcome: number | null = null;
        let state: number | null = null;
        for (let i = 0; i <= n && (outcome === null || state === null); i++) {
          const [ia, ib] = [Math.min(i, a.length), Math.min(i, b.length)];
          if (state === null && canonicalStateText(ta.stateAt(ia), ta.kernelAt(ia).v) !== canonicalStateText(tb.stateAt(ib), tb.kernelAt(ib).v)) state = i;
          const oa = i >= 1 && i <= a.length ? JSON.stringify(ta.outcome(i)) : null;
          const ob = i >= 1 && i <= b.length ? JSON.stringify(tb.outcome(i)) : null;
          if (outcome === null && i >= 1 && oa !== ob) outcome = i;
        }
        expect(r.outcome?.index ?? null).toBe(outcome);
        expect(r.state?.index ?? null).toBe(state);
      }),
      { numRuns: 80, seed: 3 },
    );
  });
});
