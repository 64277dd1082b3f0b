import type { IndexedViolation } from '../replay/replay.js';
import { getVersion } from '../semantics/versions.js';
import type { TraceHeader } from '../trace/schema-types.js';
import { loadTrace } from '../trace/load.js';
import type { Failure } from './failure.js';
import type { FuzzHeader } from './header.js';
import { ALL_PROPERTIES } from './properties.js';
import { ALL_EVENT_CHECKS, type RunResult, runTrace } from './runner.js';

/**
 * Re-runs a trace file under every check the fuzzer runs (invariants after every event,
 * postconditions, atomicity, callback order, and the run-level properties of reference: Invariants and postconditions), as a
 * campaign does: what `kreplay fuzz --replay` and a `check` header run. Version agreement holds on
 * the shared subset only, so it is checked only when asked (`check: "version-agreement"`).
 */
export function recheckFile(path: string, semantics?: string, versionAgreement = false, postconditions = true): RunResult {
  const t = loadTrace(path);
  const header: FuzzHeader = { kreplay: 1, semantics: getVersion(semantics ?? t.header.semantics ?? 'cgroups-2009', '--semantics').name };
  if (t.header.config) header.config = t.header.config;
  return runTrace(header, t.events, {
    events: { ...ALL_EVENT_CHECKS, postconditions },
    properties: { ...ALL_PROPERTIES, 'version-agreement': versionAgreement },
    snapshotAt: Math.floor(t.events.length / 2),
  });
}

/** A fuzz failure as a `replay` violation: the check's id, the event after which it showed (0 = the run as a whole). */
export const failureViolation = (f: Failure): IndexedViolation => ({
  index: f.index,
  invariant: f.name,
  subject: f.kind === 'crash' ? 'internal error' : f.kind === 'property' ? 'run' : f.kind,
  message: f.message,
});

/**
 * What `kreplay replay` adds for a trace whose header names a `check` (a counterexample the fuzzer
 * wrote): a plain replay sees invariants and postconditions after every event, but the run-level
 * properties (determinism, snapshot, checkpoint transparency, ...) need the whole run replayed
 * again, so the trace is re-checked as a campaign checks it and the failure, if any, is returned
 * as one more violation. Null when there is no `check` or nothing fails; a failure a plain replay
 * already lists (same id and event) is not repeated.
 */
export function headerCheckViolation(path: string, r: { header: TraceHeader; violations: readonly IndexedViolation[]; divergences: readonly { index: number }[] }, semantics?: string): IndexedViolation | null {
  const header = r.header;
  const seen = r.violations;
  if (header.check === undefined) return null;
  // the hand-written expects of a version trace: the replay's divergences are the finding
  if (header.check === 'version-trace') {
    const d = r.divergences[0];
    return d ? { index: d.index, invariant: 'version-trace', subject: 'run', message: 'the outcome leaves the expect a hand-written version trace (traces/versions) gives it' } : null;
  }
  // the plain replay has judged the postconditions already: the re-check looks for the rest
  const f = recheckFile(path, semantics, header.check === 'version-agreement', false).failure;
  if (!f) return null;
  if (seen.some((v) => v.invariant === f.name && v.index === f.index)) return null;
  return failureViolation(f);
}

/**
 * A trace that declares `check: "crash"` reproduces an internal error of the model: `replay` of
 * it reports the crash as the finding it names (exit 1) instead of an unexpected internal error
 * (exit 3). Returns the report line, or null when the trace names no crash (or cannot be read).
 */
export function declaredCrash(path: string, e: unknown): string | null {
  let header: TraceHeader;
  try {
    header = loadTrace(path).header;
  } catch {
    return null;
  }
  if (header.check !== 'crash') return null;
  return `crash: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
}
