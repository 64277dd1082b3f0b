import type { Outcome } from '../reducer/outcome.js';
import { bootKernel, step } from '../replay/kernel.js';
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

/** reference: Command line `diff --first-divergence --json`. */
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

/** An event as the reducer sees it: `expect`, `note` and `t` do not change what it does (reference: Events). */
function effectText(ev: Event | undefined): string {
  if (ev === undefined) return '';
  const { expect: _e, note: _n, t: _t, ...rest } = ev as Event & { expect?: unknown; note?: unknown; t?: unknown };
  return canonicalJson(rest as unknown as Json);
}

/**
 * Replays both sides in lock step, one event each per step, comparing the outcomes after every
 * event and the states where they can differ, and stops as soon as both the first outcome
 * divergence and the first state divergence are known: one replay of each side, never a replay
 * per candidate index. States are compared by canonical text only when needed: equal states
 * under one version that apply the same event stay equal (reference: Determinism and the state: the canonical state is
 * complete, so equal states behave the same), so a shared prefix costs no state comparison.
 * Two traces of different lengths are compared as if the shorter one stood still after its last
 * event, so a trace that only extends the other diverges at its first extra event that does
 * something.
 */
export function firstDivergence(a: Side, b: Side, opts: FirstDivergenceOptions = {}): FirstDivergence {
  const ka = bootKernel(a.header, a.semantics);
  const kb = bootKernel(b.header, b.semantics);
  const sameVersion = ka.v === kb.v;
  const result: FirstDivergence = { outcome: null, state: null };
  const from = opts.from ?? 0;
  const limit = opts.limit ?? Number.POSITIVE_INFINITY;
  // Whether the states are equal now: true / false when known, null when not computed.
  let equal: boolean | null = null;
  const compare = (index: number): void => {
    equal = canonicalStateText(ka.s, ka.v) === canonicalStateText(kb.s, kb.v);
    if (!equal && index >= from) result.state = { index, changes: diffKernels(ka, kb).changes };
  };
  compare(0);
  const ia = a.events[Symbol.iterator]();
  const ib = b.events[Symbol.iterator]();
  for (let i = 1; i <= limit && (result.outcome === null || result.state === null); i++) {
    const ea = nextEvent(ia);
    const eb = nextEvent(ib);
    if (!ea && !eb) break;
    const oa = ea ? step(ka, ea) : null;
    const ob = eb ? step(kb, eb) : null;
    const unchanged = equal === true && sameVersion && ea !== undefined && eb !== undefined && effectText(ea) === effectText(eb);
    if (i >= from && result.outcome === null && outcomeText(oa) !== outcomeText(ob)) {
      result.outcome = { index: i, op: ((ea ?? eb) as Event).op, a: oa, b: ob };
    }
    if (result.state !== null) continue;
    if (unchanged) continue;
    if (i >= from) compare(i);
    else equal = null;
  }
  return result;
}

function nextEvent(it: Iterator<Event>): Event | undefined {
  const r = it.next();
  return r.done ? undefined : r.value;
}
