import { INVARIANTS, type Invariant } from '../invariants/index.js';
import { PostChecker } from '../invariants/postconditions.js';
import { BadInputError } from '../errors.js';
import { outcomeKind, type Outcome } from '../reducer/outcome.js';
import { impossibleEvent } from '../semantics/mechanisms.js';
import { stateHash } from '../state/canonical.js';
import type { Event, Expect, TraceHeader } from '../trace/schema-types.js';
import { type OpenOptions, openTrace, resolveHeader } from '../trace/load.js';
import { matchesExpect } from './expect.js';
import { IncrementalChecker } from './incremental.js';
import type { IndexedViolation } from './violation.js';
import { bootKernel, type Kernel, step } from './kernel.js';

export interface ReplayOptions {
  /** Overrides the header's semantics (reference: Command line). */
  semantics?: string;
  /** Stop after event `at` (1-based; 0 = the boot state): time travel (reference: Command line). */
  at?: number;
  /** Check every invariant after every event (default true). */
  invariants?: boolean;
  /** Check every op's postconditions around every event (default: as `invariants`). */
  postconditions?: boolean;
  /**
   * Run every invariant's full check after every event (default false): the reference the default
   * incremental checking (src/replay/incremental.ts, scoped checks after every event) reports the
   * same violations as, at a fraction of the cost.
   */
  fullInvariants?: boolean;
  /** Segment length of incremental checking (IncrementalOptions.fullEvery). */
  fullEvery?: number;
  /**
   * Keep every outcome in `outcomes` (default true). Streaming callers pass false and read
   * outcomes through `onEvent`, so memory stays bounded by the model state.
   */
  keepOutcomes?: boolean;
  /** Input limits and source keeping for the trace file (replayFile only). */
  input?: OpenOptions;
  /** Called once the header is resolved, before the first event (replayFile only). */
  onStart?: (header: TraceHeader, semantics: string) => void;
  /** Called after each event is applied and checked; `index` is 1-based. */
  onEvent?: (index: number, ev: Event, outcome: Outcome) => void;
  /** The trace file, for the location of bad input found while replaying. */
  source?: string;
}

/** An event whose outcome differs from its `expect` (reference: Command line). */
export interface Divergence {
  index: number;
  op: Event['op'];
  expected: Expect;
  actual: Outcome;
}

export type { IndexedViolation } from './violation.js';

export interface OutcomeCounts {
  ret: number;
  err: number;
  blocked: number;
}

export interface ReplayResult {
  kernel: Kernel;
  /** The number of events applied. */
  events: number;
  /** Every outcome in event order (empty when `keepOutcomes` is false). */
  outcomes: Outcome[];
  divergences: Divergence[];
  violations: IndexedViolation[];
  counts: OutcomeCounts;
  stateHash: string;
}

/** Runs every invariant on the current state; `before` values were captured before the event. */
function checkInvariants(k: Kernel, invs: readonly Invariant[], before: unknown[], index: number, out: IndexedViolation[]): void {
  for (let i = 0; i < invs.length; i++) {
    for (const v of (invs[i] as Invariant).check(k.s, k.v, before[i])) out.push({ index, ...v });
  }
}

function captureBefore(k: Kernel, invs: readonly Invariant[], before: unknown[]): void {
  for (let i = 0; i < invs.length; i++) {
    const inv = invs[i] as Invariant;
    before[i] = inv.before ? inv.before(k.s, k.v) : undefined;
  }
}

/**
 * Replays `events` from the boot state `header` describes (reference: Command line `replay`): applies each event,
 * checks every invariant after it (and on the boot state, index 0), and compares `expect`.
 * Synchronous and single-pass, so `events` may be a lazy stream.
 */
export function replayEvents(
  header: Pick<TraceHeader, 'semantics' | 'config'>,
  events: Iterable<Event>,
  opts: ReplayOptions = {},
): ReplayResult {
  const kernel = bootKernel(header, opts.semantics);
  const checker = opts.invariants !== false && opts.fullInvariants !== true ? new IncrementalChecker(kernel, INVARIANTS, opts.fullEvery === undefined ? {} : { fullEvery: opts.fullEvery }) : null;
  const invs = opts.invariants === false || checker ? [] : INVARIANTS;
  const keep = opts.keepOutcomes !== false;
  const at = opts.at ?? Infinity;
  const before: unknown[] = new Array(invs.length);
  const result: ReplayResult = {
    kernel,
    events: 0,
    outcomes: [],
    divergences: [],
    violations: [],
    counts: { ret: 0, err: 0, blocked: 0 },
    stateHash: '',
  };
  checkInvariants(kernel, invs, before, 0, result.violations);
  const posts = (opts.postconditions ?? opts.invariants) !== false ? new PostChecker() : null;
  const broken: IndexedViolation[] = [];
  if (at > 0) {
    let index = 0;
    for (const ev of events) {
      index++;
      const impossible = impossibleEvent(kernel.v, ev);
      if (impossible) throw new BadInputError(`${opts.source ? `${opts.source} ` : ''}event ${index} (/events/${index - 1}/op)`, impossible);
      captureBefore(kernel, invs, before);
      posts?.before(kernel.s, kernel.v, ev);
      const outcome = checker ? checker.step(ev) : step(kernel, ev);
      const post = posts?.after(kernel.s, kernel.v, ev, outcome);
      if (post) broken.push({ index, ...post });
      result.counts[outcomeKind(outcome)]++;
      if (keep) result.outcomes.push(outcome);
      if (ev.expect !== undefined && !matchesExpect(ev.expect, outcome)) {
        result.divergences.push({ index, op: ev.op, expected: ev.expect, actual: outcome });
      }
      checkInvariants(kernel, invs, before, index, result.violations);
      opts.onEvent?.(index, ev, outcome);
      if (index >= at) break;
    }
    result.events = index;
  }
  if (checker) {
    checker.finish();
    result.violations = checker.violations;
  }
  // postconditions broken, among the invariant violations by event (a stable sort keeps each event's invariants first)
  if (broken.length > 0) result.violations = [...result.violations, ...broken].sort((a, b) => a.index - b.index);
  result.stateHash = stateHash(kernel.s, kernel.v);
  return result;
}

export interface FileReplayResult extends ReplayResult {
  /** The trace file. */
  trace: string;
  /** The semantic version replayed (the header's, or the override). */
  semantics: string;
  header: TraceHeader;
}

/**
 * Replays a JSON or NDJSON trace file (reference: JSON traces, NDJSON traces). NDJSON is streamed: events are read,
 * validated and applied one at a time, and outcomes are kept only when `keepOutcomes` is true
 * (default false here; read them through `onEvent`), so memory is bounded by the model state.
 * Bad input throws BadInputError located in the file.
 */
export function replayFile(path: string, opts: ReplayOptions = {}): FileReplayResult {
  const trace = openTrace(path, opts.input);
  try {
    const { version } = resolveHeader(trace.header, path, opts.semantics);
    opts.onStart?.(trace.header, version.name);
    const result = replayEvents(trace.header, trace.events, { source: path, ...opts, semantics: version.name, keepOutcomes: opts.keepOutcomes ?? false });
    return { ...result, trace: path, semantics: version.name, header: trace.header };
  } finally {
    trace.close();
  }
}
