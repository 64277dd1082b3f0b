import { expect } from 'vitest';
import { replayEvents } from '../../src/replay/replay.js';
import type { Outcome } from '../../src/reducer/outcome.js';
import type { ConfigOverrides, Event } from '../../src/trace/schema-types.js';
import { canonicalState, canonicalStateText } from '../../src/state/canonical.js';
import type { Kernel } from '../../src/replay/kernel.js';

export type Semantics = 'containers-2006' | 'cgroups-2009' | 'linux-6';

/** Replays `events` and insists on zero invariant violations; returns outcomes and the kernel. */
export function run(semantics: Semantics, events: Event[], config: ConfigOverrides = {}): { outcomes: Outcome[]; k: Kernel; last: Outcome } {
  const r = replayEvents({ semantics, config }, events);
  if (r.violations.length > 0) throw new Error(`invariant violations: ${JSON.stringify(r.violations)}`);
  return { outcomes: r.outcomes, k: r.kernel, last: r.outcomes[r.outcomes.length - 1] as Outcome };
}

/** The outcome of the last event, with the canonical state before and after it (atomicity checks). */
export function lastWithStates(semantics: Semantics, events: Event[], config: ConfigOverrides = {}): { last: Outcome; before: string; after: string } {
  const prefix = run(semantics, events.slice(0, -1), config);
  const before = canonicalStateText(prefix.k.s, prefix.k.v);
  const all = run(semantics, events, config);
  return { last: all.last, before, after: canonicalStateText(all.k.s, all.k.v) };
}

/** reference: Outcomes: the last event fails with `errno` and leaves the canonical state byte-identical. */
export function failsAtomically(semantics: Semantics, events: Event[], errno: string, config: ConfigOverrides = {}): void {
  const r = lastWithStates(semantics, events, config);
  expect(r.last).toMatchObject({ err: errno });
  expect(r.after).toBe(r.before);
}

/** Config that makes outcomes carry `calls` (reference: Config traceCallbacks). */
export const traced: ConfigOverrides = { traceCallbacks: true };

export const H9 = 'cs';
/** A 2009 mount of cpuset (and whatever else is named) on hierarchy `cs`. */
export const mountCs = (subsystems: string[] = ['cpuset'], noprefix = false): Event =>
  ({ op: 'mount', by: 1, hierarchy: H9, subsystems, ...(noprefix ? { noprefix } : {}) }) as Event;

/** Event builders (by = 1 unless given; `h` undefined means the 2006 default hierarchy). */
export const mkdir = (path: string, h?: string, by = 1): Event => ({ op: 'mkdir', by, path, ...(h ? { hierarchy: h } : {}) }) as Event;
export const rmdir = (path: string, h?: string, by = 1): Event => ({ op: 'rmdir', by, path, ...(h ? { hierarchy: h } : {}) }) as Event;
export const write = (path: string, file: string, value: string, h?: string, by = 1): Event =>
  ({ op: 'write', by, path, file, value, ...(h ? { hierarchy: h } : {}) }) as Event;
export const read = (path: string, file: string, h?: string, by = 1): Event => ({ op: 'read', by, path, file, ...(h ? { hierarchy: h } : {}) }) as Event;
export const attach = (path: string, pid: number, h?: string, by = 1): Event => ({ op: 'attach', by, path, pid, ...(h ? { hierarchy: h } : {}) }) as Event;
export const fork = (by = 1): Event => ({ op: 'fork', by }) as Event;
export const exit = (by: number, code = 0): Event => ({ op: 'exit', by, code }) as Event;
export const inject = (point: 'create' | 'can_attach' | 'fork', err: string, subsys?: string, count?: number): Event =>
  ({ op: 'inject', point, err, ...(subsys ? { subsys } : {}), ...(count ? { count } : {}) }) as Event;

/** A 2009 cpuset cgroup `/path` on `cs` with cpus and mems set. */
export const cpuset9 = (path: string, cpus: string, mems = '0'): Event[] => [
  mkdir(path, H9),
  write(path, 'cpuset.cpus', cpus, H9),
  write(path, 'cpuset.mems', mems, H9),
];
/** A 2006 cpuset container `/path` with cpus and mems set. */
export const cpuset6 = (path: string, cpus: string, mems = '0'): Event[] => [mkdir(path), write(path, 'cpus', cpus), write(path, 'mems', mems)];

/** A task's effective cpus and mems as the canonical state shows them. */
export function effective(k: Kernel, pid: number): { cpus: unknown; mems: unknown } {
  const st = canonicalState(k.s, k.v) as { tasks: { pid: number; effectiveCpus: unknown; effectiveMems: unknown }[] };
  const t = st.tasks.find((x) => x.pid === pid);
  return { cpus: t?.effectiveCpus, mems: t?.effectiveMems };
}
