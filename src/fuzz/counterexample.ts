import type { Event, TraceHeader } from '../trace/schema-types.js';
import { writeOutputAtomically } from '../trace/atomic-write.js';
import { withExpect } from '../trace/write.js';
import type { Counterexample } from './campaign.js';
import { describeFailure } from './failure.js';
import { survivesJson } from './properties.js';
import { recheckFile } from './replay-check.js';
import type { RunResult } from './runner.js';

/** What a counterexample file needs (a campaign's, or one that came back from a worker). */
export type Printable = Pick<Counterexample, 'run' | 'seed' | 'failure' | 'shrinks'> & { result: Pick<RunResult, 'header' | 'events' | 'outcomes'> };

export const DEFAULT_OUT = 'kreplay-counterexample.json';

/**
 * The counterexample as a trace file: events with their actual outcomes as `expect`, a `note` on
 * the event after which the failure showed, a header `note` naming the failure, the seed and
 * how to reproduce it, and a header `check` naming the check that failed. `kreplay replay` shows
 * every kind: invariants and postconditions after every event, the run-level properties
 * (reference: Invariants and postconditions) by re-checking the run the `check` header asks for, and a crash as the finding `check:
 * "crash"` declares; each exits 1 naming the check.
 */
export function counterexampleTrace(cx: Printable, out: string): TraceHeader & { events: Event[] } {
  const r = cx.result;
  const how = `kreplay replay ${out}`;
  const header: TraceHeader = {
    kreplay: 1,
    semantics: r.header.semantics,
    note: `kreplay fuzz counterexample (seed ${cx.seed}, run ${cx.run}, ${cx.shrinks} shrinks): ${describeFailure(cx.failure)}. Reproduce: ${how}`,
    check: cx.failure.name,
  };
  if (r.header.config) header.config = { ...r.header.config };
  const events = r.events.map((ev, i) => {
    // an outcome JSON cannot hold (what a round-trip failure is about) gets no `expect`: the file stays well-formed, and the re-check finds it again
    const o = r.outcomes[i];
    const e = o && survivesJson(o) ? withExpect(ev, o) : ev;
    if (i + 1 === cx.failure.index) (e as { note?: string }).note = describeFailure(cx.failure);
    return e;
  });
  return { ...header, events };
}

export function writeCounterexample(cx: Printable, out: string): void {
  const t = counterexampleTrace(cx, out);
  const { events, ...header } = t;
  const head = JSON.stringify(header);
  const text = head.slice(0, -1) + ',"events":[\n' + events.map((e) => JSON.stringify(e)).join(',\n') + '\n]}\n';
  // Whole or not at all, never over an input (atomic-write.ts).
  writeOutputAtomically(out, text);
}

/** `kreplay fuzz --replay FILE`: every check a campaign runs, on the file (see `recheckFile`). */
export const recheckTrace = (path: string, semantics?: string, versionAgreement = false): RunResult => recheckFile(path, semantics, versionAgreement);
