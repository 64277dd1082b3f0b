import { stdoutColours } from './colour.js';
import type { FileReplayResult } from '../replay/replay.js';
import { cut } from '../trace/json-position.js';

/** A value in a human line: its JSON cut with an ellipsis and its size when long. */
const show = (v: unknown): string => cut(JSON.stringify(v) ?? String(v), 200);

/** The `replay --json` object of SPEC 10.1, exactly its fields in its order. */
export function replayJson(r: FileReplayResult): string {
  return JSON.stringify({
    trace: r.trace,
    semantics: r.semantics,
    events: r.events,
    outcomes: { ret: r.counts.ret, err: r.counts.err, blocked: r.counts.blocked },
    divergences: r.divergences.map((d) => ({ index: d.index, op: d.op, expected: d.expected, actual: d.actual })),
    violations: r.violations.map((v) => ({ index: v.index, invariant: v.invariant, message: v.message })),
    stateHash: r.stateHash,
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

/** A few readable lines per trace saying what `--json` says (SPEC 10.1). */
export function replayHuman(r: FileReplayResult, pc = stdoutColours()): string {
  const c = r.counts;
  const good = r.divergences.length === 0 && r.violations.length === 0;
  const verdict = good
    ? pc.green('ok')
    : pc.red(`FAIL: ${plural(r.divergences.length, 'divergence')}, ${plural(r.violations.length, 'violation')}`);
  return [
    `${pc.bold(r.trace)}  ${verdict}`,
    `  ${plural(r.events, 'event')} under ${r.semantics}: ${c.ret} ret, ${c.err} err, ${c.blocked} blocked`,
    ...listed(
      r.divergences,
      (d) => `  ${pc.red('divergence')} at event ${d.index} (${d.op}): expected ${show(d.expected)}, got ${show(d.actual)}`,
    ),
    ...listed(
      r.violations,
      (v) => `  ${pc.red('violation')} ${v.index === 0 ? (v.subject === 'run' ? 'of the run as a whole' : 'in the boot state') : `after event ${v.index}`}: ${v.invariant}: ${v.message} [${v.subject}]`,
    ),
    `  state ${pc.dim(r.stateHash)}`,
  ].join('\n');
}
