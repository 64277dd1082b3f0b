import { type DiffInput, openDiffInput } from '../diff/inputs.js';
import { BadInputError } from '../errors.js';
import { explainOutcome } from '../replay/explain.js';
import { matchesExpect } from '../replay/expect.js';
import { replayEvents } from '../replay/replay.js';
import { canonicalState, hashText } from '../state/canonical.js';
import { canonicalJson, type Json } from '../state/json.js';
import { resolveHeader } from '../trace/load.js';
import type { ShowSource } from './text.js';
import { type EventView, stateView, type StateView } from './view.js';

export interface ShowOptions {
  /** Stop after event N (1-based; 0 = boot); traces only. */
  at?: number;
  /** Replay under this version instead of the header's; traces only. */
  semantics?: string;
}

export interface Shown extends ShowSource {
  semantics: string;
  view: StateView;
}

function fromInput(input: DiffInput, opts: ShowOptions): Shown {
  if (input.kind === 'state') {
    for (const [flag, v] of [['--at', opts.at], ['--semantics', opts.semantics]] as const) {
      if (v !== undefined) throw new BadInputError(input.source, `is a state file: ${flag} applies to traces only`);
    }
    const view = stateView(input.state);
    return { source: input.source, at: null, semantics: view.semantics, stateHash: hashText(canonicalJson(input.state)), event: null, view };
  }
  const { header } = input.trace;
  const { version } = resolveHeader(header, input.source, opts.semantics);
  let event: EventView | null = null;
  const r = replayEvents(header, input.trace.events, {
    semantics: version.name,
    invariants: false,
    keepOutcomes: false,
    at: opts.at,
    onEvent: (index, ev, outcome) => {
      if (opts.at !== undefined && index !== opts.at) return;
      const by = (ev as { by?: unknown }).by;
      event = {
        index,
        op: ev.op,
        by: typeof by === 'number' ? by : null,
        outcome: outcome as unknown as Json,
        expected: (ev.expect ?? null) as unknown as Json,
        diverged: ev.expect !== undefined && !matchesExpect(ev.expect, outcome),
      };
      // Why an errno or `blocked` outcome happened (issue 15's reason codes).
      const reason = explainOutcome(outcome)?.text;
      if (reason !== undefined) event.reason = reason;
    },
  });
  if (opts.at !== undefined && r.events < opts.at) throw new BadInputError(`--at ${opts.at}`, `${input.source} has only ${r.events} events`);
  const view = stateView(canonicalState(r.kernel.s, r.kernel.v));
  return { source: input.source, at: r.events, semantics: version.name, stateHash: r.stateHash, event, view };
}

/**
 * The state `kreplay show` shows: a trace replayed (to event `at` when given; invariants are not
 * checked, `replay` reports violations) with the event that led there, or a state file as it is.
 */
export function showState(path: string, opts: ShowOptions = {}): Shown {
  const input = openDiffInput(path);
  try {
    return fromInput(input, opts);
  } finally {
    if (input.kind === 'trace') input.trace.close();
  }
}
