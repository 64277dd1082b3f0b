import { type Outcome, reasonOf } from '../reducer/outcome.js';
import { type ReasonArg, type ReasonCode, reasonText } from '../reducer/reasons.js';
import type { Event } from '../trace/schema-types.js';

/**
 * The reason behind an outcome, as `replay` shows it after a divergence and for every event with
 * `--explain` (issue 15): the code, its arguments and the sentence, built only here, when shown.
 * Reasons are never part of the outcome `expect` compares, of the state hash, or of `--log`.
 */
export interface Explained {
  code: ReasonCode;
  args: ReasonArg[];
  text: string;
}

/** Why `o` happened, or null (a success, or an outcome made without a reason). */
export function explainOutcome(o: Outcome): Explained | null {
  const r = reasonOf(o);
  return r === null ? null : { code: r.code, args: r.args, text: reasonText(r.code, r.args) };
}

/** One event of `replay --explain`. */
export interface ExplainedEvent {
  /** 1-based. */
  index: number;
  op: Event['op'];
  by: number | null;
  outcome: Outcome;
  reason: Explained | null;
}

export function explainEvent(index: number, ev: Event, outcome: Outcome): ExplainedEvent {
  return { index, op: ev.op, by: 'by' in ev && typeof ev.by === 'number' ? ev.by : null, outcome, reason: explainOutcome(outcome) };
}
