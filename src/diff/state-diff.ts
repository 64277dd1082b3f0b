import { canonicalState } from '../state/canonical.js';
import type { Json } from '../state/json.js';
import type { Kernel } from '../replay/kernel.js';
import { type AreaId, areaOf } from './areas.js';
import { jsonEqual } from '../replay/expect.js';
import { type Path, renderPath } from './path.js';

/** One difference between two canonical states: a path with its value before (in a) and after (in b). */
export interface Change {
  area: AreaId;
  /** e.g. `tasks[42].pgid`, `cgroups[cs:/a].cpus`, `tasks[43]` for a whole entity. */
  path: string;
  /** `added`: only in b; `removed`: only in a; `changed`: in both with different values. */
  kind: 'added' | 'removed' | 'changed';
  before?: Json;
  after?: Json;
}

export interface StateDiff {
  equal: boolean;
  changes: Change[];
}

type JsonObject = { [key: string]: Json };
type EntityKey = number | string;

/**
 * The field that names an entity of each collection of the canonical state, so that entities are
 * matched by identity, not by position: a task added in the middle is one added task, not a shift
 * of every later one. Checkpoint image tasks and vpid mappings are keyed by vpid; css_sets by their
 * content key (reference: mount), so a css_set whose content changes shows as one removed and one added.
 */
export const KEY_FIELDS: Readonly<Record<string, readonly string[]>> = Object.assign(Object.create(null) as Record<string, string[]>, {
  tasks: ['pid', 'vpid'],
  hierarchies: ['name'],
  cgroups: ['path'],
  subsystems: ['name'],
  cssSets: ['key', 'id'],
  vpses: ['id'],
  mappings: ['vpid'],
  images: ['name'],
  pidNamespaces: ['id'],
  pidNumbers: ['pid'],
  pidForChildren: ['pid'],
});

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: Json): v is number | string => typeof v === 'number' || typeof v === 'string';

/** How the elements of an array are identified, or null when they are compared as one value. */
type Keying = ((e: Json) => EntityKey | undefined) | null;

function keyingFor(field: string | undefined, a: Json[], b: Json[]): Keying {
  const all = (p: (e: Json) => boolean) => a.every(p) && b.every(p);
  const fields = field === undefined ? undefined : KEY_FIELDS[field];
  if (fields) {
    for (const f of fields) {
      const key = (e: Json) => (isObject(e) && isScalar(e[f] as Json) ? (e[f] as EntityKey) : undefined);
      if (all((e) => key(e) !== undefined) && unique(a, key) && unique(b, key)) return key;
    }
  }
  // A map stored as [key, value] pairs (e.g. a vpid map): keyed by the first element.
  const pairKey = (e: Json) => (Array.isArray(e) && e.length === 2 && isScalar(e[0] as Json) ? (e[0] as EntityKey) : undefined);
  if ((a.length > 0 || b.length > 0) && all((e) => pairKey(e) !== undefined) && unique(a, pairKey) && unique(b, pairKey)) {
    return pairKey;
  }
  return null;
}

function unique(xs: Json[], key: (e: Json) => EntityKey | undefined): boolean {
  const seen = new Set<EntityKey>();
  for (const x of xs) {
    const k = key(x) as EntityKey;
    if (seen.has(k)) return false;
    seen.add(k);
  }
  return true;
}

const compareKeys = (x: EntityKey, y: EntityKey): number =>
  typeof x === 'number' && typeof y === 'number'
    ? x - y
    : typeof x === 'number'
      ? -1
      : typeof y === 'number'
        ? 1
        : x < y
          ? -1
          : x > y
            ? 1
            : 0;

/** Accumulates the changes of one diff. */
class Differ {
  readonly changes: Change[] = [];

  emit(path: Path, kind: Change['kind'], before: Json | undefined, after: Json | undefined): void {
    const change: Change = { area: areaOf(path), path: renderPath(path), kind };
    if (before !== undefined) change.before = before;
    if (after !== undefined) change.after = after;
    this.changes.push(change);
  }

  value(a: Json, b: Json, path: Path): void {
    if (isObject(a) && isObject(b)) this.object(a, b, path);
    else if (Array.isArray(a) && Array.isArray(b)) this.array(a, b, path);
    else if (!jsonEqual(a, b)) this.emit(path, 'changed', a, b);
  }

  object(a: JsonObject, b: JsonObject, path: Path): void {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) {
      const here = [...path, { field: k }];
      const inA = Object.prototype.hasOwnProperty.call(a, k);
      const inB = Object.prototype.hasOwnProperty.call(b, k);
      if (inA && inB) this.value(a[k] as Json, b[k] as Json, here);
      else if (inA) this.emit(here, 'removed', a[k], undefined);
      else this.emit(here, 'added', undefined, b[k]);
    }
  }

  array(a: Json[], b: Json[], path: Path): void {
    const last = path[path.length - 1];
    const keying = keyingFor(last && 'field' in last ? last.field : undefined, a, b);
    if (keying) this.keyed(a, b, keying, path);
    else if (a.every(isObject) && b.every(isObject) && (a.length > 0 || b.length > 0)) this.positional(a, b, path);
    else if (!jsonEqual(a, b)) this.emit(path, 'changed', a, b);
  }

  /** One entity: compared whole first (the common case is equal), descended into only when different. */
  entity(a: Json, b: Json, path: Path): void {
    if (!jsonEqual(a, b)) this.value(entityValue(a), entityValue(b), path);
  }

  /**
   * Entities matched by key. Canonical arrays are sorted by key, so the walk pairs them by
   * position while the keys agree and falls back to Maps only from the first disagreement on.
   */
  keyed(a: Json[], b: Json[], key: (e: Json) => EntityKey | undefined, path: Path): void {
    let i = 0;
    const groups: { key: EntityKey; changes: Change[] }[] = [];
    const collect = (k: EntityKey, run: () => void) => {
      const start = this.changes.length;
      run();
      if (this.changes.length > start) groups.push({ key: k, changes: this.changes.splice(start) });
    };
    const n = Math.min(a.length, b.length);
    for (; i < n; i++) {
      const ka = key(a[i] as Json) as EntityKey;
      if (ka !== key(b[i] as Json)) break;
      collect(ka, () => this.entity(a[i] as Json, b[i] as Json, [...path, { key: String(ka) }]));
    }
    if (i < a.length || i < b.length) {
      const mb = new Map<EntityKey, Json>();
      for (let j = i; j < b.length; j++) mb.set(key(b[j] as Json) as EntityKey, b[j] as Json);
      for (let j = i; j < a.length; j++) {
        const ea = a[j] as Json;
        const k = key(ea) as EntityKey;
        const here = [...path, { key: String(k) }];
        const eb = mb.get(k);
        collect(k, () => (eb === undefined ? this.emit(here, 'removed', entityValue(ea), undefined) : this.entity(ea, eb, here)));
        mb.delete(k);
      }
      for (const [k, eb] of mb) collect(k, () => this.emit([...path, { key: String(k) }], 'added', undefined, entityValue(eb)));
    }
    groups.sort((x, y) => compareKeys(x.key, y.key));
    for (const g of groups) for (const c of g.changes) this.changes.push(c);
  }

  /** Arrays of objects with no identity (e.g. the injection queue): compared index by index. */
  positional(a: Json[], b: Json[], path: Path): void {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const here = [...path, { index: i }];
      if (i >= b.length) this.emit(here, 'removed', a[i], undefined);
      else if (i >= a.length) this.emit(here, 'added', undefined, b[i]);
      else if (!jsonEqual(a[i] as Json, b[i] as Json)) this.value(a[i] as Json, b[i] as Json, here);
    }
  }
}

/** A [key, value] pair entity is shown as its value; any other entity as itself. */
function entityValue(e: Json): Json {
  return Array.isArray(e) && e.length === 2 && isScalar(e[0] as Json) ? (e[1] as Json) : e;
}

/**
 * The structured diff of two canonical states (reference: Determinism and the state, Command line): every difference as a path with its
 * values in a and b, entities matched by key. Both states have one shape for every version
 * (what a version lacks is empty), so states of two versions compare field by field.
 */
export function diffStates(a: { [key: string]: Json }, b: { [key: string]: Json }): StateDiff {
  const d = new Differ();
  d.object(a, b, []);
  return { equal: d.changes.length === 0, changes: d.changes };
}

/** The diff of two kernels' canonical states. */
export function diffKernels(a: Kernel, b: Kernel): StateDiff {
  return diffStates(canonicalState(a.s, a.v), canonicalState(b.s, b.v));
}
