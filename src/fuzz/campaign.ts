import fc from 'fast-check';
import { bootsAlike } from '../semantics/mechanisms.js';
import { type SemanticsName, VERSIONS } from '../semantics/versions.js';
import { type Choice, choicesArb } from './choice.js';
import { Coverage } from './coverage.js';
import type { Failure } from './failure.js';
import type { GenOptions } from '../workload/gen.js';
import { OpTable } from '../workload/table.js';
import { versionTraceFailure } from './version-traces.js';
import { reachHeader, reachOf, REACH_SELECTORS, swarmTable } from './presets.js';
import { type FuzzHeader, headerArb, SEMANTICS } from './header.js';
import { ALL_PROPERTIES, type PropertyChecks } from './properties.js';
import { ALL_EVENT_CHECKS, type EventChecks, type RunResult, runChoices } from './runner.js';

/** The seed a campaign uses when none is given: fixed, so `kreplay fuzz` is reproducible by default. */
export const DEFAULT_SEED = 20260101;

export interface CampaignOptions {
  runs: number;
  seed: number;
  maxEvents: number;
  /** Fix the semantics; otherwise each run picks one. */
  semantics?: SemanticsName;
  faults: boolean;
  /** Percentage of deliberately wrong events [20]. */
  badPercent?: number;
  /** This campaign runs only runs j with j % count === index (`--shard`, `--workers`). */
  shard?: { index: number; count: number };
  events?: EventChecks;
  properties?: Partial<PropertyChecks>;
  /** About one run in five is generated on the shared subset and checked for version agreement [true]. */
  versionAgreement?: boolean;
  /** Replay the hand-written traces of traces/versions/ before the runs (src/fuzz/version-traces.ts) [true]. */
  versionTraces?: boolean;
  /** Called after each run this campaign executes. */
  onRun?: (run: number, events: number) => void;
}

/** One generated case: what fast-check generates and shrinks. */
export interface Case {
  header: FuzzHeader;
  choices: Choice[];
  /** 4: shared subset + version agreement; 3: cgroup-focused ops; else every op (shrinks toward 0). */
  mode: number;
  /**
   * Where the snapshot property copies the state, counted back from the end of the run (0: after
   * the last event), so that shrinking the choices keeps the events after the snapshot after it.
   */
  snapshotAt: number;
  /** Cgroup-focused runs: how many leading events set subsystems up (register/load, mount) before the tree grows. */
  setup: number;
  /** General runs: a reach preset (src/fuzz/presets.ts) by selector; shrinks to none. */
  reach: number;
  /** General runs: the swarm mask of the ops generated; shrinks to 0, every op. */
  swarm: number;
}

export interface Counterexample {
  /** The campaign run that failed (0-based) and the campaign seed that reproduces it. */
  run: number;
  seed: number;
  failure: Failure;
  result: RunResult;
  shrinks: number;
  /** fast-check's replay path of the failing case. */
  path: string;
}

export interface CampaignResult {
  seed: number;
  /** Runs executed by this campaign (its shard), events checked by them. */
  runs: number;
  events: number;
  coverage: Coverage;
  counterexample: Counterexample | null;
}

const SHARED_MODE = 4;
const CGROUP_MODE = 3;
/** At most this many setup events open a cgroup-focused run (2006: three plugins to register; 2009: two to load, one mount). */
const MAX_SETUP = 4;

export interface Tables {
  full: OpTable;
  /** The ops every version agrees on (it sizes the choices' op range). */
  shared: OpTable;
  /** Per pair of versions (`a b`), the ops they agree on: made when a run first compares them. */
  pairs: Map<string, OpTable>;
  cgroup: OpTable;
  gen: GenOptions;
  sharedGen: GenOptions;
  cgroupGen: GenOptions;
}

export function makeTables(faults: boolean, badPercent = 20): Tables {
  return {
    full: new OpTable({ faults }),
    shared: new OpTable({ faults: false, agreeing: SEMANTICS.map((s) => VERSIONS[s]) }),
    pairs: new Map(),
    cgroup: new OpTable({ faults, cgroupFocus: true }),
    gen: { badPercent, faults, sharedSubset: false },
    sharedGen: { badPercent, faults: false, sharedSubset: true },
    cgroupGen: { badPercent, faults, sharedSubset: false, cgroupFocus: true },
  };
}

export function caseArb(t: Tables, maxEvents: number, semantics: SemanticsName | undefined, versionAgreement: boolean): fc.Arbitrary<Case> {
  return fc.record({
    header: headerArb(semantics),
    choices: choicesArb(t.full.total * t.shared.total, maxEvents),
    mode: fc.nat(versionAgreement ? SHARED_MODE : CGROUP_MODE),
    snapshotAt: fc.nat(maxEvents),
    setup: fc.nat(MAX_SETUP),
    reach: fc.nat(REACH_SELECTORS - 1),
    swarm: fc.oneof(fc.constant(0), fc.nat(0x7fffffff)),
  });
}

/**
 * A version-agreement run's table: the ops the run's version agrees on with a partner, picked by
 * the case among the other versions (every pair is compared over a campaign, reference: Invariants and postconditions).
 */
function pairTable(t: Tables, c: Case): OpTable {
  const others = SEMANTICS.filter((s) => s !== c.header.semantics && bootsAlike(c.header.config, VERSIONS[c.header.semantics], VERSIONS[s]));
  const partner = others[c.setup % others.length];
  if (partner === undefined) return t.shared;
  const key = `${c.header.semantics} ${partner}`;
  let table = t.pairs.get(key);
  if (table === undefined) t.pairs.set(key, (table = new OpTable({ faults: false, agreeing: [VERSIONS[c.header.semantics], VERSIONS[partner]] })));
  return table;
}

/** Runs one case with every check the options enable. */
export function runCase(t: Tables, c: Case, opts: Pick<CampaignOptions, 'events' | 'properties'>, coverage?: Coverage): RunResult {
  const shared = c.mode === SHARED_MODE;
  const properties: PropertyChecks = { ...ALL_PROPERTIES, ...opts.properties, 'version-agreement': shared && (opts.properties?.['version-agreement'] ?? true) };
  const focus = !shared && c.mode === CGROUP_MODE;
  const [table, gen] = shared ? [pairTable(t, c), t.sharedGen] : focus ? [t.cgroup, t.cgroupGen] : [t.full, t.gen];
  // cgroup-focused runs trace callbacks, so that callback-order sees the creates and attaches they make
  const header = focus ? { ...c.header, config: { ...c.header.config, traceCallbacks: true } } : c.header;
  // general runs: a reach preset may open the run, and swarm testing may leave ops out
  const general = !shared && !focus;
  const reach = general ? reachOf(c.reach, c.header.semantics) : null;
  return runChoices(general ? swarmTable(table, c.swarm) : table, focus ? { ...gen, setupEvents: c.setup } : gen, reachHeader(header, reach), c.choices, {
    events: opts.events ?? ALL_EVENT_CHECKS,
    properties,
    snapshotAt: Math.max(0, c.choices.length - c.snapshotAt),
    ...(coverage ? { coverage } : {}),
  }, reach?.prologue ?? []);
}

/**
 * A campaign (reference: Command line `fuzz`): `runs` generated cases from one fast-check stream seeded by
 * `seed`. A shard generates the same stream and executes only its runs, so shards are
 * deterministic and their union is the unsharded campaign. On failure fast-check shrinks the
 * case (choices, not events: every shrunk trace is still state-aware).
 */
export function runCampaign(opts: CampaignOptions): CampaignResult {
  const tables = makeTables(opts.faults, opts.badPercent);
  const coverage = new Coverage();
  const shard = opts.shard ?? { index: 0, count: 1 };
  // the hand-written version traces first (shard 0 only): a versions-table row that says the wrong thing
  const pinned = shard.index === 0 && opts.versionTraces !== false ? versionTraceFailure(opts.semantics) : null;
  if (pinned?.failure) return { seed: opts.seed, runs: 0, events: 0, coverage, counterexample: { run: -1, seed: opts.seed, failure: pinned.failure, result: pinned, shrinks: 0, path: '' } };
  let run = -1;
  let runs = 0;
  let events = 0;
  let failedRun = -1;
  let shrinking = false;
  const arb = caseArb(tables, opts.maxEvents, opts.semantics, opts.versionAgreement ?? true);
  const details = fc.check(
    fc.property(arb, (c) => {
      if (!shrinking) {
        run++;
        if (run % shard.count !== shard.index) return true;
      }
      const r = runCase(tables, c, opts, shrinking ? undefined : coverage);
      if (!shrinking) {
        runs++;
        events += r.events.length;
        opts.onRun?.(run, r.events.length);
      }
      if (r.failure && !shrinking) {
        failedRun = run;
        shrinking = true;
      }
      return r.failure === null;
    }),
    { seed: opts.seed, numRuns: opts.runs },
  );
  let counterexample: Counterexample | null = null;
  if (details.failed && details.counterexample) {
    const c = details.counterexample[0];
    const result = runCase(tables, c, opts);
    if (!result.failure) throw new Error(`run ${failedRun} of seed ${opts.seed}: the shrunk case did not fail again (nondeterminism in the fuzzer?)`);
    counterexample = { run: failedRun, seed: opts.seed, failure: result.failure, result, shrinks: details.numShrinks, path: details.counterexamplePath ?? '' };
  } else if (details.failed) {
    throw new Error(`fast-check stopped without a counterexample: ${String(details.errorInstance)}`);
  }
  return { seed: opts.seed, runs, events, coverage, counterexample };
}
