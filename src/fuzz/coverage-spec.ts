import type { Op } from '../reducer/context.js';
import { errnoApplies, errnoName } from '../reducer/op.js';
import { VERSIONS } from '../semantics/versions.js';
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

/** The (op, outcome) pairs a campaign must reach: `ret` for every op it generates, and every listed errno. */
export function requiredPairs(faults: boolean): [Op, string][] {
  const out: [Op, string][] = [];
  for (const op of Object.keys(SPEC_ERRNOS) as Op[]) {
    if (op === 'inject' && !faults) continue;
    const d = OPS.get(op);
    // `ret` only when some generated version lets the op succeed (prctl's subreaper is linux-6's).
    if (!d || SEMANTICS.some((s) => errnoApplies({ errno: 'EINVAL', if: d.succeedsIf }, VERSIONS[s]))) out.push([op, 'ret']);
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
