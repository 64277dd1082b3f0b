import { stdoutColours } from './colour.js';
import { type Explained, type ExplainedEvent, explainOutcome } from '../replay/explain.js';
import type { FileReplayResult } from '../replay/replay.js';
import { cut } from '../trace/json-position.js';

/** A value in a human line: its JSON cut with an ellipsis and its size when long. */
const show = (v: unknown): string => cut(JSON.stringify(v) ?? String(v), 200);

/** A reason as `--json` prints it: its own field, beside (never inside) the outcome. */
const reasonJson = (r: Explained | null): { code: string; args: unknown[]; text: string } | undefined =>
  r === null ? undefined : { code: r.code, args: r.args, text: r.text };

/**
 * The `replay --json` object of reference: Command line, its fields in its order; a divergence whose actual
 * outcome failed or blocked adds `reason`, and `--explain` adds `explain`, every event with its
 * outcome and reason.
 */
export function replayJson(r: FileReplayResult, explained?: readonly ExplainedEvent[]): string {
  return JSON.stringify({
    trace: r.trace,
    semantics: r.semantics,
    events: r.events,
    outcomes: { ret: r.counts.ret, err: r.counts.err, blocked: r.counts.blocked },
    divergences: r.divergences.map((d) => ({ index: d.index, op: d.op, expected: d.expected, actual: d.actual, reason: reasonJson(explainOutcome(d.actual)) })),
    violations: r.violations.map((v) => ({ index: v.index, invariant: v.invariant, message: v.message })),
    stateHash: r.stateHash,
    explain: explained?.map((e) => ({ index: e.index, op: e.op, by: e.by ?? undefined, outcome: e.outcome, reason: reasonJson(e.reason) })),
  });
}

/** How many divergences / violations the human output lists before summarising the rest. */
const SHOW = 10;

function listed<T>(items: readonly T[], line: (x: T) => string): string[] {
  const out = items.slice(0, SHOW).map(line);
  if (items.length > SHOW) out.push(`  … and ${items.length - SHOW} more (use --json for all)`);
  return out;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `replay --explain`: one line per event, and the reason under every failed or blocked one. */
export function explainHuman(events: readonly ExplainedEvent[], pc = stdoutColours()): string[] {
  const out: string[] = [];
  for (const e of events) {
    const by = e.by === null ? '' : ` by ${e.by}`;
    out.push(`  ${String(e.index).padStart(4)} ${e.op}${by}: ${JSON.stringify(e.outcome)}`);
    if (e.reason) out.push(`         ${pc.dim('because')} ${e.reason.text} ${pc.dim(`[${e.reason.code}]`)}`);
  }
  return out;
}

const because = (d: FileReplayResult['divergences'][number], pc: ReturnType<typeof stdoutColours>): string[] => {
  const r = explainOutcome(d.actual);
  return r === null ? [] : [`    ${pc.dim('because')} ${r.text} ${pc.dim(`[${r.code}]`)}`];
};

/** A few readable lines per trace saying what `--json` says (reference: Command line); with `--explain`, every event first. */
export function replayHuman(r: FileReplayResult, pc = stdoutColours(), explained?: readonly ExplainedEvent[]): string {
  const c = r.counts;
  const good = r.divergences.length === 0 && r.violations.length === 0;
  const verdict = good
    ? pc.green('ok')
    : pc.red(`FAIL: ${plural(r.divergences.length, 'divergence')}, ${plural(r.violations.length, 'violation')}`);
  return [
    `${pc.bold(r.trace)}  ${verdict}`,
    `  ${plural(r.events, 'event')} under ${r.semantics}: ${c.ret} ret, ${c.err} err, ${c.blocked} blocked`,
    ...(explained ? explainHuman(explained, pc) : []),
    ...listed(
      r.divergences,
      (d) => [`  ${pc.red('divergence')} at event ${d.index} (${d.op}): expected ${show(d.expected)}, got ${show(d.actual)}`, ...because(d, pc)].join('\n'),
    ),
    ...listed(
      r.violations,
      (v) => `  ${pc.red('violation')} ${v.index === 0 ? (v.subject === 'run' ? 'of the run as a whole' : 'in the boot state') : `after event ${v.index}`}: ${v.invariant}: ${v.message} [${v.subject}]`,
    ),
    `  state ${pc.dim(r.stateHash)}`,
  ].join('\n');
}
