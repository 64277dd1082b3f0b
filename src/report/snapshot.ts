/**
 * The model's state as text and back, for the report page's snapshots: a tagged JSON of the plain
 * data the state is made of (objects, prototype-free objects, arrays, Maps, Sets, typed arrays),
 * keeping what JSON alone would lose — Map and Set, a prototype-free object, an own `__proto__`
 * key, `undefined`, and an object reachable twice (sent once, then referred to by number), so a
 * decoded state behaves exactly as the original under the reducer. No Node dependency: the page
 * decodes in the browser.
 */

export type Enc = null | boolean | number | string | Enc[] | { [tag: string]: Enc };

const TYPED: Record<string, new (xs: number[]) => ArrayLike<number>> = {
  Uint8Array,
  Uint16Array,
  Uint32Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Float64Array,
};

export function encodeState(x: unknown): string {
  const ids = new Map<object, number>();
  const enc = (v: unknown): Enc => {
    if (v === undefined) return { $u: 0 };
    if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : { $x: Object.is(v, -0) ? '-0' : String(v) };
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
    if (typeof v !== 'object') throw new Error(`cannot snapshot a ${typeof v}`);
    const id = ids.get(v);
    if (id !== undefined) return { $r: id };
    ids.set(v, ids.size);
    if (Array.isArray(v)) return v.map(enc);
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto === Map.prototype) {
      const out: Enc[] = [];
      for (const [k, val] of v as Map<unknown, unknown>) out.push(enc(k), enc(val));
      return { $m: out };
    }
    if (proto === Set.prototype) return { $s: [...(v as Set<unknown>)].map(enc) };
    if (proto === Object.prototype || proto === null) {
      const out: Enc[] = [];
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) out.push(k, enc(o[k]));
      return proto === null ? { $n: out } : { $o: out };
    }
    const name = (proto as { constructor?: { name?: string } }).constructor?.name ?? '';
    if (name in TYPED) return { $t: name, d: Array.from(v as ArrayLike<number>) };
    throw new Error(`cannot snapshot a ${name || 'object'}`);
  };
  return JSON.stringify(enc(x));
}

function setKey(o: Record<string, unknown>, k: string, value: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value, writable: true, enumerable: true, configurable: true });
  else o[k] = value;
}

export function decodeState(text: string): unknown {
  return decodeParsed(JSON.parse(text) as Enc);
}

/** `decodeState` of text already parsed (the page parses all its snapshots at once). */
export function decodeParsed(value: Enc): unknown {
  const objs: unknown[] = [];
  const dec = (e: Enc): unknown => {
    if (e === null || typeof e !== 'object') return e;
    if (Array.isArray(e)) {
      const out: unknown[] = [];
      objs.push(out);
      for (const x of e) out.push(dec(x));
      return out;
    }
    if ('$r' in e) return objs[e.$r as number];
    if ('$u' in e) return undefined;
    if ('$x' in e) return e.$x === '-0' ? -0 : Number(e.$x);
    if ('$m' in e) {
      const m = new Map<unknown, unknown>();
      objs.push(m);
      const xs = e.$m as Enc[];
      for (let i = 0; i < xs.length; i += 2) {
        const k = dec(xs[i] as Enc);
        m.set(k, dec(xs[i + 1] as Enc));
      }
      return m;
    }
    if ('$s' in e) {
      const s = new Set<unknown>();
      objs.push(s);
      for (const x of e.$s as Enc[]) s.add(dec(x));
      return s;
    }
    if ('$o' in e || '$n' in e) {
      const o = ('$n' in e ? Object.create(null) : {}) as Record<string, unknown>;
      objs.push(o);
      const xs = ('$n' in e ? e.$n : e.$o) as Enc[];
      for (let i = 0; i < xs.length; i += 2) setKey(o, xs[i] as string, dec(xs[i + 1] as Enc));
      return o;
    }
    if ('$t' in e) {
      const Typed = TYPED[e.$t as string];
      if (!Typed) throw new Error(`unknown typed array ${String(e.$t)}`);
      const out = new Typed(e.d as number[]);
      objs.push(out);
      return out;
    }
    throw new Error(`not a snapshot: ${JSON.stringify(e).slice(0, 40)}`);
  };
  return dec(value);
}
