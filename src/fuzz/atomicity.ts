import type { Outcome } from '../reducer/outcome.js';
import { opsWhere } from '../reducer/registry.js';
import { canonicalState } from '../state/canonical.js';
import { canonicalJson, type Json } from '../state/json.js';
import type { KernelState } from '../state/types.js';
import type { Kernel } from '../replay/kernel.js';
import type { Event } from '../trace/schema-types.js';
import { sameStateField } from './equal.js';

/** Ops that allocate pids (and so may leave `last` behind when they fail, reference: Outcomes): each op's `allocates`. */
const ALLOCATING = opsWhere((d) => d.allocates);

type Obj = { [key: string]: Json };
const asObj = (x: unknown): Obj | null => (x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Obj) : null);

/**
 * An injection queue `after` that is `before` with some injections consumed: each entry of `after`
 * matches a later entry of `before` with the same point, subsys and err and no higher count (order
 * kept). Works on the raw queue and on its canonical form, which have the same fields.
 */
function consumedFrom(before: unknown, after: unknown): boolean {
  if (!Array.isArray(before) || !Array.isArray(after)) return false;
  let j = 0;
  for (const inj of after) {
    const a = asObj(inj);
    let matched = false;
    while (!matched && j < before.length) {
      const b = asObj(before[j]);
      j++;
      matched = a !== null && b !== null && a.point === b.point && a.subsys === b.subsys && a.err === b.err && (a.count as number) <= (b.count as number);
    }
    if (!matched) return false;
  }
  return true;
}

/** Replaces each VPS in `after` that went from linear to sparse by its `before` form (the switch stays, reference: Outcomes). */
function forgiveSparseSwitch(before: Json | undefined, after: Json | undefined): Json | undefined {
  if (!Array.isArray(before) || !Array.isArray(after)) return after;
  return after.map((x) => {
    const a = asObj(x);
    if (!a || a.mode !== 'sparse') return x;
    const b = before.map(asObj).find((y) => y !== null && y.id === a.id);
    return b && b.mode === 'linear' ? b : x;
  });
}

/**
 * The cheap structural check: the raw states are equal field by field, but for what reference: Outcomes lets a
 * failure change (`last` after a failed pid-allocating op, consumed injections). Raw equality
 * implies canonical equality, so `true` settles atomicity; `false` only sends the event on to the
 * canonical comparison (index fields, a sparse switch).
 */
function rawUnchanged(b: KernelState, a: KernelState, allocating: boolean, failed: boolean): boolean {
  for (const key in b) {
    if (key === 'last' && allocating) continue;
    const same = key === 'injections' && failed ? consumedFrom(b.injections, a.injections) : sameStateField(b, a, key);
    if (!same) return false;
  }
  return true;
}

/**
 * reference: Outcomes atomicity of one event: an `err` or `blocked` outcome leaves the canonical state
 * unchanged, except the allocator's `last` after a failed pid-allocating op, a VPS left sparse by
 * alloc_vpid, and injections the failure consumed. Returns a message, or null when it holds.
 */
export function atomicityViolation(before: Kernel, after: Kernel, ev: Event, outcome: Outcome): string | null {
  if ('ret' in outcome) return null;
  const failed = 'err' in outcome;
  const allocating = failed && ALLOCATING.has(ev.op);
  if (rawUnchanged(before.s, after.s, allocating, failed)) return null;
  const b = canonicalState(before.s, before.v);
  const a = { ...canonicalState(after.s, after.v) };
  if (allocating) {
    a.last = b.last as Json;
    a.vpses = forgiveSparseSwitch(b.vpses, a.vpses) as Json;
  }
  if (failed && consumedFrom(b.injections, a.injections)) a.injections = b.injections as Json;
  const diff = Object.keys(b).concat(Object.keys(a)).filter((k, i, all) => all.indexOf(k) === i && canonicalJson(b[k] as Json) !== canonicalJson(a[k] as Json));
  if (diff.length === 0) return null;
  const kind = failed ? `failed with ${outcome.err}` : 'blocked';
  return `${ev.op} ${kind} but changed the state: ${diff.sort().join(', ')}`;
}
