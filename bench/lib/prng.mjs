/**
 * sfc32, a small fast counting PRNG: the generator and the benchmarks never use Math.random,
 * so a seed names one trace, byte for byte.
 */
export class Rng {
  constructor(seed) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 16; i++) this.u32();
  }

  u32() {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next() {
    return this.u32() / 4294967296;
  }

  /** An integer in [0, n). */
  int(n) {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p) {
    return this.next() < p;
  }

  pick(xs) {
    return xs[this.int(xs.length)];
  }

  /** Picks a key of `weights` (an array of [key, weight]) with probability proportional to its weight. */
  weighted(table) {
    let x = this.next() * table.total;
    for (const [key, w] of table.entries) {
      x -= w;
      if (x < 0) return key;
    }
    return table.entries[table.entries.length - 1][0];
  }
}

/** A weight table for Rng.weighted. */
export function weights(obj) {
  const entries = Object.entries(obj).filter(([, w]) => w > 0);
  return { entries, total: entries.reduce((s, [, w]) => s + w, 0) };
}
