import { readFileSync, writeFileSync } from 'node:fs';
import { BadInputError } from '../errors.js';
import { getVersion } from '../semantics/versions.js';
import type { Event, TraceHeader } from '../trace/schema-types.js';
import { parseJson, parseTrace } from '../trace/load.js';
import { withExpect } from '../trace/write.js';
import type { Counterexample } from './campaign.js';
import { describeFailure } from './failure.js';
import type { FuzzHeader } from './header.js';
import { ALL_PROPERTIES } from './properties.js';
import { ALL_EVENT_CHECKS, type RunResult, runTrace } from './runner.js';

/** What a counterexample file needs (a campaign's, or one that came back from a worker). */
export type Printable = Pick<Counterexample, 'run' | 'seed' | 'failure' | 'shrinks'> & { result: Pick<RunResult, 'header' | 'events' | 'outcomes'> };

export const DEFAULT_OUT = 'kreplay-counterexample.json';

/**
 * The counterexample as a trace file: events with their actual outcomes as `expect`, a `note` on
 * the event after which the failure showed, and a header `note` naming the failure, the seed and
 * how to reproduce it. `kreplay replay` reproduces invariant violations (exit 1) and crashes
 * (exit 3); the reference: Invariants and postconditions properties need the whole run, so `kreplay fuzz --replay FILE` re-checks
 * every invariant and property on the file and exits 1 naming the one that fails.
 */
export function counterexampleTrace(cx: Printable, out: string): TraceHeader & { events: Event[] } {
  const r = cx.result;
  const how = cx.failure.kind === 'invariant' ? `kreplay replay ${out}` : `kreplay fuzz --replay ${out}`;
  const header: TraceHeader = {
    kreplay: 1,
    semantics: r.header.semantics,
    note: `kreplay fuzz counterexample (seed ${cx.seed}, run ${cx.run}, ${cx.shrinks} shrinks): ${describeFailure(cx.failure)}. Reproduce: ${how}`,
  };
  if (r.header.config) header.config = { ...r.header.config };
  const events = r.events.map((ev, i) => {
    const e = r.outcomes[i] ? withExpect(ev, r.outcomes[i]!) : ev;
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
  try {
    writeFileSync(out, text);
  } catch (e) {
    throw new BadInputError(out, `cannot write file: ${(e as Error).message}`);
  }
}

/**
 * `kreplay fuzz --replay FILE`: every invariant after every event, atomicity, and every
 * property of reference: Invariants and postconditions (version agreement only when asked: it holds on the shared subset only).
 */
export function recheckTrace(path: string, semantics?: string, versionAgreement = false): RunResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new BadInputError(path, `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const t = parseTrace(parseJson(text, path), path);
  const header: FuzzHeader = { kreplay: 1, semantics: getVersion(semantics ?? t.header.semantics ?? 'cgroups-2009', '--semantics').name };
  if (t.header.config) header.config = t.header.config;
  return runTrace(header, t.events, {
    events: ALL_EVENT_CHECKS,
    properties: { ...ALL_PROPERTIES, 'version-agreement': versionAgreement },
    snapshotAt: Math.floor(t.events.length / 2),
  });
}
