import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { matchesExpect } from '../replay/expect.js';
import type { Outcome } from '../reducer/outcome.js';
import type { SemanticsName } from '../semantics/versions.js';
import { loadTrace } from '../trace/load.js';
import type { Event, Expect } from '../trace/schema-types.js';
import type { FuzzHeader } from './header.js';
import { ALL_PROPERTIES, type PropertyChecks } from './properties.js';
import { ALL_EVENT_CHECKS, type RunResult, runTrace } from './runner.js';

/**
 * The version oracle a campaign runs first (issue 12 item 2): the hand-written traces of
 * traces/versions/ say, with their `expect`s, what each version does for every rule that differs
 * between versions. The versions table cannot vouch for itself (the version-dependent checks read
 * it), so a row that says the wrong thing is caught here: the first trace whose outcomes leave its
 * `expect`s is the failure (`version-trace`). Its result carries the trace's own `expect`s as
 * outcomes, so the counterexample written from it diverges on plain `kreplay replay`. Absent
 * directory (an installed package without traces): nothing to check.
 */
const DIR = fileURLToPath(new URL('../../traces/versions/', import.meta.url));
const NO_PROPERTIES: PropertyChecks = { ...ALL_PROPERTIES, determinism: false, snapshot: false, 'round-trip': false, 'location-transparency': false, 'checkpoint-transparency': false, 'version-agreement': false };

export function versionTraceFailure(semantics?: SemanticsName): RunResult | null {
  if (!existsSync(DIR)) return null;
  for (const name of readdirSync(DIR).filter((n) => n.endsWith('.json')).sort()) {
    const t = loadTrace(join(DIR, name));
    const sem = (t.header.semantics ?? 'cgroups-2009') as SemanticsName;
    if (semantics && sem !== semantics) continue;
    const header: FuzzHeader = { kreplay: 1, semantics: sem, ...(t.header.config ? { config: t.header.config } : {}) };
    const r = runTrace(header, t.events, { events: { ...ALL_EVENT_CHECKS, atomicity: false }, properties: NO_PROPERTIES });
    const i = t.events.findIndex((ev, j) => ev.expect !== undefined && (r.outcomes[j] === undefined || !matchesExpect(ev.expect, r.outcomes[j] as Outcome)));
    if (i < 0) continue;
    const ev = t.events[i] as Event;
    const message = `traces/versions/${name} event ${i + 1} (${ev.op}): ${sem} gives ${JSON.stringify(r.outcomes[i] ?? null)}, the trace expects ${JSON.stringify(ev.expect)}`;
    const outcomes = t.events.slice(0, i + 1).map((e, j) => (e.expect as Expect | undefined) ?? (r.outcomes[j] as Outcome)) as Outcome[];
    return { ...r, events: t.events.slice(0, i + 1).map(strip), outcomes, failure: { kind: 'property', name: 'version-trace', index: i + 1, message } };
  }
  return null;
}

function strip(ev: Event): Event {
  const { expect: _e, note: _n, ...rest } = ev as Event & { note?: string };
  void _e;
  void _n;
  return rest as Event;
}
