import type { Outcome } from '../reducer/outcome.js';
import { bootKernel, type Kernel, step } from '../replay/kernel.js';
import { canonicalStateText } from '../state/canonical.js';
import { canonicalJson, type Json } from '../state/json.js';
import type { Event, TraceHeader } from '../trace/schema-types.js';
import { type Change, diffKernels } from './state-diff.js';

/** One side of a comparison: a trace's header and events, and the semantics to replay it under. */
export interface Side {
  header: Pick<TraceHeader, 'semantics' | 'config'>;
  /** Consumed once, in order: a streamed NDJSON trace works. */
  events: Iterable<Event>;
  /** Overrides the header's semantics (`--semantics-a` / `--semantics-b`). */
  semantics?: string;
}

/** The first event whose outcome differs; `a`/`b` is null where that side has no event n. */
export interface OutcomeDivergence {
  index: number;
  op: string;
  a: Outcome | null;
  b: Outcome | null;
}

/** The first point after which the states differ (0 = the boot states), with the diff there. */
export interface StateDivergence {
  index: number;
  changes: Change[];
}

/** SPEC 10 `diff --first-divergence --json`. */
export interface FirstDivergence {
  outcome: OutcomeDivergence | null;
  state: StateDivergence | null;
}

export interface FirstDivergenceOptions {
  /** Only look at events 1..limit (`--at`). */
  limit?: number;
  /**
   * Ignore divergences before event `from` (`--from`; 0 = the boot states, the default): the
   * states of two versions differ from boot on, and a setup step can differ for a reason that is
   * not the one under study (a 2009 `mount` traces `populate`, the always-mounted 2006 one does not).
   */
  from?: number;
}

const outcomeText = (o: Outcome | null): string => (o === null ? 'null' : canonicalJson(o as unknown as Json));

/**
 * Replays both sides in lock step, one event each per step, comparing the outcomes and the
 * canonical state text after every event, and stops as soon as both the first outcome divergence
 * and the first state divergence are known: one replay of each side, never a replay per candidate
 * index. Two traces of different lengths are compared as if the shorter one stood still after
 * its last event, so a trace that only extends the other diverges at its first extra event that
 * does something.
 */
export function firstDivergence(a: Side, b: Side, opts: FirstDivergenceOptions = {}): FirstDivergence {
  const ka = bootKernel(a.header, a.semantics);
  const kb = bootKernel(b.header, b.semantics);
  const result: FirstDivergence = { outcome: null, state: null };
  const from = opts.from ?? 0;
  if (from === 0) checkState(ka, kb, 0, result);
  const limit = opts.limit ?? Number.POSITIVE_INFINITY;
  const ia = a.events[Symbol.iterator]();
  const ib = b.events[Symbol.iterator]();
  for (let i = 1; i <= limit && (result.outcome === null || result.state === null); i++) {
    const ea = nextEvent(ia);
    const eb = nextEvent(ib);
    if (!ea && !eb) break;
    const oa = ea ? step(ka, ea) : null;
    const ob = eb ? step(kb, eb) : null;
    if (i < from) continue;
    if (result.outcome === null && outcomeText(oa) !== outcomeText(ob)) {
      result.outcome = { index: i, op: ((ea ?? eb) as Event).op, a: oa, b: ob };
    }
    checkState(ka, kb, i, result);
  }
  return result;
}

function nextEvent(it: Iterator<Event>): Event | undefined {
  const r = it.next();
  return r.done ? undefined : r.value;
}

function checkState(ka: Kernel, kb: Kernel, index: number, result: FirstDivergence): void {
  if (result.state !== null) return;
  if (canonicalStateText(ka.s, ka.v) === canonicalStateText(kb.s, kb.v)) return;
  result.state = { index, changes: diffKernels(ka, kb).changes };
}
