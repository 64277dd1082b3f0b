import { replayEvents } from '../replay/replay.js';
import { canonicalState, hashText } from '../state/canonical.js';
import { canonicalJson } from '../state/json.js';
import { BadInputError } from '../errors.js';
import { resolveHeader } from '../trace/load.js';
import type { DiffInput } from './inputs.js';
import type { CanonicalStateJson } from './state-file.js';

/** One side of a state diff once resolved: where it came from and its canonical state. */
export interface ResolvedSide {
  source: string;
  /** The semantics a trace was replayed under (a state file carries its own). */
  semantics: string;
  /** The number of events applied (traces only). */
  at: number | null;
  state: CanonicalStateJson;
  stateHash: string;
}

/**
 * The canonical state a diff operand stands for: a state file as it is, a trace replayed (to
 * event `at` when given, reference: Command line time travel) under `semantics` or its header's. Invariants are
 * not checked: diff reports differences, `replay` reports violations.
 */
export function resolveSide(input: DiffInput, semantics: string | undefined, at: number | undefined): ResolvedSide {
  if (input.kind === 'state') {
    if (semantics !== undefined) throw new BadInputError(input.source, 'is a state file: --semantics applies to traces only');
    if (at !== undefined) throw new BadInputError(input.source, 'is a state file: --at applies to traces only');
    const semanticsName = typeof input.state.semantics === 'string' ? input.state.semantics : '';
    return { source: input.source, semantics: semanticsName, at: null, state: input.state, stateHash: hashText(canonicalJson(input.state)) };
  }
  const { header } = input.trace;
  const { version } = resolveHeader(header, input.source, semantics);
  const r = replayEvents(header, input.trace.events, { semantics: version.name, invariants: false, keepOutcomes: false, at });
  if (at !== undefined && r.events < at) {
    throw new BadInputError(`--at ${at}`, `${input.source} has only ${r.events} events`);
  }
  return { source: input.source, semantics: version.name, at: r.events, state: canonicalState(r.kernel.s, r.kernel.v), stateHash: r.stateHash };
}
