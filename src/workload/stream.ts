import type { Op } from '../reducer/context.js';
import type { Outcome } from '../reducer/outcome.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { KernelState } from '../state/types.js';
import type { Event, Expect } from '../trace/schema-types.js';
import { type Choice, SELECTOR_MAX } from './choice.js';
import type { GenOptions } from './gen.js';
import { Rng } from './prng.js';
import { concretizeEntry, OpTable } from './table.js';

/**
 * The state-aware generator driven by a seeded PRNG instead of fast-check: each call of `next`
 * draws a choice, makes the event from the state the kernel holds now (the ops' own generators,
 * src/workload/table.ts), applies it with `step` and returns it with its outcome as `expect`. The
 * benchmark traces (bench/lib/generate.mjs, over dist/) and tests that want long valid workloads
 * use it; fuzz campaigns draw the same choices from fast-check instead.
 */
export interface StreamOptions {
  seed: number;
  /** The ops to generate and their relative weights (OpTable's `weights`). */
  weights: Partial<Record<Op, number>>;
  /** Percentage (0..100) of deliberately wrong events [0]. */
  badPercent?: number;
  /**
   * About how many tasks to keep: a drawn fork or exit becomes a fork with a probability that
   * falls as the task count rises past it (a population that neither dies out nor explodes).
   */
  population?: number;
  /** Events applied first, as given (mounts and the like). */
  prologue?: readonly Event[];
  /** Events this workload refuses: a refused event is dropped and another choice drawn. */
  refuse?: (ev: Event, s: KernelState) => boolean;
}

/** What `expect` keeps of an outcome (reference: Outcomes: ret / err / blocked). */
export function expectOf(o: Outcome): Expect {
  if ('ret' in o) return { ret: o.ret };
  if ('err' in o) return { err: o.err };
  return { blocked: true };
}

export class WorkloadStream<K extends { s: KernelState; v: SemanticVersion } = { s: KernelState; v: SemanticVersion }> {
  readonly table: OpTable;
  private readonly rng: Rng;
  private readonly gen: GenOptions;
  private readonly queue: Event[];
  private index = 0;
  constructor(
    readonly k: K,
    private readonly step: (k: K, ev: Event) => Outcome,
    private readonly opts: StreamOptions,
  ) {
    this.table = new OpTable({ faults: true, weights: opts.weights });
    this.rng = new Rng(opts.seed);
    this.gen = { badPercent: opts.badPercent ?? 0, faults: true, sharedSubset: false };
    this.queue = (opts.prologue ?? []).map((ev) => ({ ...ev }));
  }

  /** The next abstract choice. */
  choice(): Choice {
    const r = this.rng;
    return { op: r.u32(), a: r.u32() & SELECTOR_MAX, b: r.u32() & SELECTOR_MAX, c: r.u32() & SELECTOR_MAX, bad: r.int(100) };
  }

  /** The next event, applied, with its outcome as `expect`. */
  next(): Event & { expect: Expect } {
    let ev = this.queue.shift();
    if (ev === undefined) {
      const refuse = this.opts.refuse;
      do ev = this.make(this.choice());
      while (refuse !== undefined && refuse(ev, this.k.s));
    }
    const withExpect = ev as Event & { expect: Expect };
    withExpect.expect = expectOf(this.step(this.k, ev));
    this.index++;
    return withExpect;
  }

  private make(c: Choice): Event {
    let entry = this.table.entryFor(c.op);
    const pop = this.opts.population;
    if (pop !== undefined && (entry.op === 'fork' || entry.op === 'exit')) {
      const n = this.k.s.tasks.size;
      const pFork = Math.min(0.95, Math.max(0.05, 0.5 + (0.5 * (pop - n)) / pop));
      entry = this.table.entryOf(this.rng.next() < pFork ? 'fork' : 'exit') ?? entry;
    }
    return concretizeEntry(entry, this.k.s, this.k.v, c, this.gen, this.index);
  }
}
