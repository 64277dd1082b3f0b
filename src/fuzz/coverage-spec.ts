import type { Op } from '../reducer/context.js';
import { branchesUnder, errnoApplies, errnoName } from '../reducer/op.js';
import { type SemanticsName, VERSIONS } from '../semantics/versions.js';
import type { BranchCoverage } from './branches.js';
import { SEMANTICS } from './header.js';
import type { Errno } from '../reducer/outcome.js';
import { OPS } from '../reducer/registry.js';
import type { Coverage } from './coverage.js';

/**
 * Every errno the op registry lists for every operation (docs/reference.md, Operations), under any version the
 * campaign generates for (linux-6's only when asked, src/fuzz/header.ts), which the
 * default campaign must reach: each op's `errnos` (src/reducer/op.ts). Every task op also has
 * ESRCH for a caller that is no live task (reference: Outcomes); kernel errors that only `inject` can cause
 * are in INJECTED_ERRNOS.
 */
export const SPEC_ERRNOS: Readonly<Record<Op, readonly Errno[]>> = Object.fromEntries(
  [...OPS.values()].map((d) => [d.name, [...new Set(d.errnos.filter((e) => SEMANTICS.some((s) => errnoApplies(e, VERSIONS[s]))).map(errnoName))]]),
) as unknown as Record<Op, readonly Errno[]>;

/** Failures only `inject` causes (reference: inject): the fork point, and create/can_attach of a subsystem (each op's `injected`). */
export const INJECTED_ERRNOS: Readonly<Partial<Record<Op, readonly Errno[]>>> = Object.fromEntries(
  [...OPS.values()].filter((d) => d.injected.length > 0).map((d) => [d.name, d.injected]),
);

/**
 * Ops that no version the campaign generates for has at all: their ENOSYS (the kernel lacks the
 * system call, as 2.6.18 lacks `setns`) applies under every one of them, unconditionally on the
 * arguments, so they never return `ret` there.
 */
const ABSENT: ReadonlySet<Op> = new Set(
  [...OPS.values()].filter((d) => d.errnos.some((e) => errnoName(e) === 'ENOSYS' && typeof e !== 'string' && SEMANTICS.every((s) => errnoApplies(e, VERSIONS[s])))).map((d) => d.name),
);

/** The (op, outcome) pairs a campaign must reach: `ret` for every op it generates that its versions have, and every listed errno. */
export function requiredPairs(faults: boolean): [Op, string][] {
  const out: [Op, string][] = [];
  for (const op of Object.keys(SPEC_ERRNOS) as Op[]) {
    if (op === 'inject' && !faults) continue;
    const d = OPS.get(op);
    // `ret` only when some generated version has the op and lets it succeed (prctl's subreaper is linux-6's).
    if (!ABSENT.has(op) && (!d || SEMANTICS.some((s) => errnoApplies({ errno: 'EINVAL', if: d.succeedsIf }, VERSIONS[s])))) out.push([op, 'ret']);
    for (const e of SPEC_ERRNOS[op]) out.push([op, e]);
    if (faults) for (const e of INJECTED_ERRNOS[op] ?? []) out.push([op, e]);
  }
  return out;
}

/** Required pairs the campaign did not reach, as `op errno`. */
export function missingCoverage(c: Coverage, faults: boolean): string[] {
  return requiredPairs(faults)
    .filter(([op, o]) => !c.has(op, o))
    .map(([op, o]) => `${op} ${o}`);
}

/** One op's line of the (op, branch) report. */
export interface BranchRow {
  op: Op;
  reached: number;
  total: number;
  /** Its branches the campaign did not reach, in registry order. */
  unreached: string[];
}

/**
 * The (op, precondition branch) pairs a campaign can reach, by op: every branch the op's registry
 * entry declares (src/reducer/op.ts `branchesUnder`) under a version the campaign generates for
 * (`semantics`, else every fuzzed one), without `inject` and the `injected` branches unless faults
 * are injected.
 */
export function requiredBranches(faults: boolean, semantics?: SemanticsName): Map<Op, string[]> {
  const versions = (semantics ? [semantics] : SEMANTICS).map((s) => VERSIONS[s]);
  const out = new Map<Op, string[]>();
  for (const d of OPS.values()) {
    if (d.name === 'inject' && !faults) continue;
    const all = [...new Set(versions.flatMap((v) => branchesUnder(d, v)))];
    out.set(d.name, faults ? all : all.filter((b) => b !== 'injected'));
  }
  return out;
}

/** The (op, branch) report of a campaign: reached / total per op and the branches not reached. */
export function branchReport(c: BranchCoverage, faults: boolean, semantics?: SemanticsName): BranchRow[] {
  return [...requiredBranches(faults, semantics)].map(([op, branches]) => {
    const unreached = branches.filter((b) => !c.has(op, b));
    return { op, reached: branches.length - unreached.length, total: branches.length, unreached };
  });
}

/** The reached (op, branch) pairs no registry entry declares, as `op branch version`. */
export const undeclaredBranches = (c: BranchCoverage): string[] => [...c.undeclared.keys()];
