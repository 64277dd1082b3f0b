import type { Argv, CommandModule } from 'yargs';
import { type ResolvedSide, resolveSide } from '../../diff/compare.js';
import { type FirstDivergence, firstDivergence } from '../../diff/first-divergence.js';
import { formatDiff } from '../../diff/format.js';
import { type DiffInput, openDiffInput } from '../../diff/inputs.js';
import { diffStates } from '../../diff/state-diff.js';
import { BadInputError } from '../../errors.js';
import { resolveHeader } from '../../trace/load.js';
import { stdoutColours, stdoutHasColour, stdoutWidth } from '../colour.js';
import { inputLimits, isStdin, openInput, readAllBytes, withStdin } from '../../trace/input.js';
import { cut } from '../../trace/json-position.js';
import type { OpenOptions } from '../../trace/load.js';
import { checkSemantics, countFlag, jsonOption, limitOptions, limitsFrom } from '../options.js';
import { EXIT_FOUND, EXIT_OK, raiseExit, reportError } from '../status.js';

interface DiffArgs {
  a: string;
  b?: string;
  at?: number[];
  from?: number;
  semantics?: string;
  semanticsA?: string;
  semanticsB?: string;
  firstDivergence: boolean;
  json: boolean;
  maxLineBytes?: string;
  maxJsonBytes?: string;
}

function builder(y: Argv): Argv<DiffArgs> {
  return y
    .positional('a', { type: 'string', demandOption: true, describe: 'a trace (replayed) or a state file (replay --state-out)' })
    .positional('b', { type: 'string', describe: 'the other trace or state file (default: a again, for --at or --semantics-a/-b)' })
    .option('at', {
      type: 'number',
      array: true,
      describe: 'compare after event N (1-based; 0 = boot); give it twice for two points of one trace (a at the first, b at the second)',
    })
    .option('semantics', { type: 'string', describe: 'semantic version for both sides, overriding the headers' })
    .option('semantics-a', { type: 'string', describe: 'semantic version to replay a under' })
    .option('semantics-b', { type: 'string', describe: 'semantic version to replay b under' })
    .option('first-divergence', {
      type: 'boolean',
      default: false,
      describe: 'report the first event whose outcome differs and the first after which the states differ',
    })
    .option('from', {
      type: 'number',
      describe: 'with --first-divergence: ignore divergences before event N (e.g. a setup that differs between versions)',
    })
    .option('json', jsonOption)
    .options(limitOptions) as unknown as Argv<DiffArgs>;
}

/** `--at` once applies to both sides; twice, to a and b in turn. */
function points(args: DiffArgs): [number | undefined, number | undefined] {
  const at = (args.at ?? []).map((n) => countFlag('at', n) as number);
  if (at.length > 2) throw new BadInputError('--at', `given ${at.length} times; at most twice (a point for a, a point for b)`);
  return [at[0], at.length === 2 ? at[1] : at[0]];
}

function describeSide(name: string, s: ResolvedSide): string {
  const where = s.at === null ? 'state file' : `${s.semantics}, after event ${s.at}`;
  return `${name}: ${s.source} (${where}) ${stdoutColours().dim(s.stateHash)}`;
}

function stateDiff(a: DiffInput, b: DiffInput, args: DiffArgs, at: [number | undefined, number | undefined]): number {
  const sa = resolveSide(a, args.semanticsA ?? args.semantics, at[0]);
  const sb = resolveSide(b, args.semanticsB ?? args.semantics, at[1]);
  const d = diffStates(sa.state, sb.state);
  if (args.json) {
    const side = (s: ResolvedSide) => ({ source: s.source, semantics: s.semantics, at: s.at, stateHash: s.stateHash });
    process.stdout.write(JSON.stringify({ equal: d.equal, a: side(sa), b: side(sb), changes: d.changes }) + '\n');
  } else {
    process.stdout.write([describeSide('a', sa), describeSide('b', sb), formatDiff(d, { color: stdoutHasColour(), width: stdoutWidth() })].join('\n') + '\n');
  }
  return d.equal ? EXIT_OK : EXIT_FOUND;
}

function humanDivergence(r: FirstDivergence, acrossVersions: boolean): string {
  const col = stdoutColours();
  const lines: string[] = [];
  const show = (o: unknown) => (o === null ? '(no event)' : cut(JSON.stringify(o), 200));
  if (r.outcome) {
    lines.push(col.bold(`first outcome divergence: event ${r.outcome.index} (${r.outcome.op})`));
    lines.push(`  a: ${col.red(show(r.outcome.a))}`, `  b: ${col.green(show(r.outcome.b))}`);
  } else lines.push('outcomes: no divergence');
  if (r.state) {
    lines.push(col.bold(`first state divergence: ${r.state.index === 0 ? 'the boot states' : `after event ${r.state.index}`}`));
    if (acrossVersions) lines.push(col.dim('  (two versions model the state differently, so their states differ from boot; across versions only outcomes decide the exit status)'));
    lines.push(formatDiff({ equal: false, changes: r.state.changes }, { color: stdoutHasColour(), width: stdoutWidth() - 2 }).replace(/^/gm, '  '));
  } else lines.push('states: no divergence');
  return lines.join('\n');
}

function divergence(a: DiffInput, b: DiffInput, args: DiffArgs, at: [number | undefined, number | undefined]): number {
  if (a.kind !== 'trace' || b.kind !== 'trace') {
    throw new BadInputError((a.kind === 'state' ? a : b).source, 'is a state file: --first-divergence needs two traces (or one)');
  }
  if (at[0] !== at[1]) throw new BadInputError('--at', 'with --first-divergence, give one limit for both traces');
  const semA = resolveHeader(a.trace.header, a.source, args.semanticsA ?? args.semantics).version.name;
  const semB = resolveHeader(b.trace.header, b.source, args.semanticsB ?? args.semantics).version.name;
  const r = firstDivergence(
    { header: a.trace.header, events: a.trace.events, semantics: semA },
    { header: b.trace.header, events: b.trace.events, semantics: semB },
    { limit: at[0], from: countFlag('from', args.from) },
  );
  const acrossVersions = semA !== semB;
  process.stdout.write((args.json ? JSON.stringify({ outcome: r.outcome, state: r.state }) : humanDivergence(r, acrossVersions)) + '\n');
  // Across versions the states differ from boot by construction: only outcomes can diverge.
  return r.outcome === null && (r.state === null || acrossVersions) ? EXIT_OK : EXIT_FOUND;
}

/** Opens both operands; one path given twice is opened twice (a streamed trace is read once per side). */
function run(args: DiffArgs): number {
  for (const name of [args.semantics, args.semanticsA, args.semanticsB]) checkSemantics(name);
  if (args.from !== undefined && !args.firstDivergence) throw new BadInputError('--from', 'applies to --first-divergence only');
  const at = points(args);
  const opts: OpenOptions = { limits: limitsFrom(args) };
  // Standard input for both sides: read once, and each side reads its own copy.
  if (isStdin(args.a) && isStdin(args.b ?? args.a)) {
    const r = openInput(args.a);
    let bytes: Buffer;
    try {
      bytes = readAllBytes(r, args.a, inputLimits(opts.limits).maxJsonBytes);
    } finally {
      r.close();
    }
    return withStdin(bytes, () => compare(args, at, opts));
  }
  return compare(args, at, opts);
}

function compare(args: DiffArgs, at: [number | undefined, number | undefined], opts: OpenOptions): number {
  const a = openDiffInput(args.a, opts);
  let b: DiffInput | null = null;
  try {
    b = openDiffInput(args.b ?? args.a, opts);
    return args.firstDivergence ? divergence(a, b, args, at) : stateDiff(a, b, args, at);
  } finally {
    for (const x of [a, b]) if (x?.kind === 'trace') x.trace.close();
  }
}

/**
 * `kreplay diff <a> <b>` (reference: Command line): two state files, two traces, one trace at two points
 * (`--at N --at M`) or under two versions (`--semantics-a/-b`). Exit 0 when equal, 1 when
 * different, 2 on bad input. `--first-divergence` across two versions exits 1 only when an
 * outcome diverges: the states of two versions differ from boot on.
 */
export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff <a> [b]',
  describe: 'diff two states: state files, traces, two points of a trace, or two semantic versions',
  builder,
  handler(args) {
    let code: number;
    try {
      code = run(args);
    } catch (e) {
      code = reportError(e);
    }
    raiseExit(code);
  },
};
