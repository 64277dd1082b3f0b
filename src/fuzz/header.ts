import fc from 'fast-check';
import { fitOverrides } from '../semantics/mechanisms.js';
import { DEFAULT_SEMANTICS, type SemanticsName, VERSIONS } from '../semantics/versions.js';
import type { ConfigOverrides, TraceHeader } from '../trace/schema-types.js';

export type FuzzHeader = TraceHeader & { semantics: SemanticsName };

/**
 * Config presets the campaign boots with, each fitted to the run's version (fitOverrides: no more
 * cpus than the version's kernel can have, no cluster or virtual pids where it has none): the
 * defaults most of the time, and the corners where errnos live — a tiny pid space (EAGAIN), clusters (node_down), two subsystem slots
 * (ENOSPC/EBUSY), no pid virtualization (vps_* ENOSYS), traced callbacks, lazy init reaping.
 */
export const CONFIG_PRESETS: readonly ConfigOverrides[] = [
  {},
  { nodes: 3 },
  { cpus: 4, mems: 2, nodes: 2 },
  { pidMax: 10, reservedPids: 2 },
  { pidVirt: 'none' },
  { initReaps: false, traceCallbacks: true },
  { subsysSlots: 2, traceCallbacks: true },
  { cpus: 2, mems: 2, nodes: 2, initReaps: false, traceCallbacks: true },
];
/** Preset index by weight: the defaults and the cluster preset more often. */
const PRESET_BY_SELECTOR = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 6, 7, 7];

/** Every version of VERSIONS, the default first (shrinking prefers it): a new version is fuzzed as soon as it is an entry there. */
export const SEMANTICS: readonly SemanticsName[] = [
  DEFAULT_SEMANTICS,
  ...(Object.keys(VERSIONS) as SemanticsName[]).filter((s) => s !== DEFAULT_SEMANTICS),
];

export function makeHeader(sem: SemanticsName, preset: number): FuzzHeader {
  const config = fitOverrides(VERSIONS[sem], CONFIG_PRESETS[PRESET_BY_SELECTOR[preset % PRESET_BY_SELECTOR.length]!]!);
  return Object.keys(config).length ? { kreplay: 1, semantics: sem, config: { ...config } } : { kreplay: 1, semantics: sem };
}

/** A header: the given semantics or any version, and a config preset (shrinks to the defaults). */
export function headerArb(semantics?: SemanticsName): fc.Arbitrary<FuzzHeader> {
  const sem = semantics ? fc.constant(semantics) : fc.constantFrom(...SEMANTICS);
  return fc.tuple(sem, fc.nat(PRESET_BY_SELECTOR.length - 1)).map(([s, p]) => makeHeader(s, p));
}
