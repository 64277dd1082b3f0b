import { describe, expect, it } from 'vitest';
import { bootKernel, step } from '../../src/replay/kernel.js';
import type { Event } from '../../src/trace/schema-types.js';
import { BENCH_HEADER, BENCH_PROLOGUE, benchWorkload } from '../../src/workload/bench.js';
import { WorkloadStream } from '../../src/workload/stream.js';
import { OpTable } from '../../src/workload/table.js';

/** `n` events of the benchmark workload from `seed`, as JSON text, and the kernel after them. */
function bench(seed: number, n: number, population = 48): { text: string[]; k: ReturnType<typeof bootKernel> } {
  const k = bootKernel(BENCH_HEADER);
  const w = benchWorkload(k, step, seed, population);
  return { text: Array.from({ length: n }, () => JSON.stringify(w.next())), k };
}

describe('WorkloadStream: the state-aware generator driven by a seed (issue 11)', () => {
  it('a seed names one workload, event for event; another seed another', () => {
    expect(bench(3, 2000).text).toEqual(bench(3, 2000).text);
    expect(bench(4, 2000).text).not.toEqual(bench(3, 2000).text);
  });

  it('the prologue comes first, and each event carries the outcome the model gave it as expect: replaying the events gives those outcomes', () => {
    const { text } = bench(5, 3000);
    const events = text.map((t) => JSON.parse(t) as Event & { expect: unknown });
    expect(events.slice(0, BENCH_PROLOGUE.length).map(({ expect: _e, ...ev }) => ev)).toEqual(BENCH_PROLOGUE);
    const k = bootKernel(BENCH_HEADER);
    for (const ev of events) expect(JSON.parse(JSON.stringify(step(k, ev))), JSON.stringify(ev)).toMatchObject(ev.expect as object);
  });

  it('only the weighted ops are generated, and the population stays near its target (fork and exit balanced by it)', () => {
    const k = bootKernel({ semantics: 'cgroups-2009' });
    const w = new WorkloadStream(k, step, { seed: 1, weights: { fork: 5, exit: 5, getpid: 1 }, population: 30 });
    const ops = new Set<string>();
    let max = 0;
    for (let i = 0; i < 3000; i++) {
      ops.add(w.next().op);
      max = Math.max(max, k.s.tasks.size);
    }
    expect([...ops].sort()).toEqual(['exit', 'fork', 'getpid']);
    expect(max).toBeGreaterThan(20);
    expect(max).toBeLessThan(60);
  });

  it('a refused event is never emitted: another choice is drawn instead', () => {
    const k = bootKernel({ semantics: 'cgroups-2009' });
    const w = new WorkloadStream(k, step, { seed: 2, weights: { fork: 3, kill: 3 }, refuse: (ev) => ev.op === 'kill' && ev.pid <= 0 });
    const kills = Array.from({ length: 2000 }, () => w.next()).filter((ev) => ev.op === 'kill');
    expect(kills.length).toBeGreaterThan(100);
    for (const ev of kills) expect(ev.op === 'kill' && ev.pid > 0).toBe(true);
  });

  it('an op table of weights shares an op weight among its generators and leaves other ops out', () => {
    const t = new OpTable({ faults: false, weights: { write: 130, fork: 10 } });
    expect([...new Set(t.ops())].sort()).toEqual(['fork', 'write']);
    expect(t.total).toBe(140);
  });
});
