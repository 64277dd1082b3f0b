import { failure, type Result, success } from '../reducer/outcome.js';

/**
 * `bitmap_parselist` as reference: write words it: comma-separated items `N` or `N-M` of decimal digits,
 * an optional single trailing comma, ending at the end of the text or at a newline. An item not
 * starting with a digit, a `-` not followed by a digit, N > M or anything left over → EINVAL; a
 * number >= `nbits` → ERANGE; items are checked left to right and the first bad one decides.
 * Returns the set as an ascending list.
 */
export function bitmapParselist(text: string, nbits: number): Result<number[]> {
  const bits = new Set<number>();
  let i = 0;
  const digits = (): bigint => {
    const start = i;
    while (i < text.length && text[i]! >= '0' && text[i]! <= '9') i++;
    return BigInt(text.slice(start, i));
  };
  const isDigitAt = (k: number): boolean => k < text.length && text[k]! >= '0' && text[k]! <= '9';
  do {
    const item = i;
    if (!isDigitAt(i)) return failure('EINVAL', 'cpulist-syntax', text, i + 1);
    const a = digits();
    let b = a;
    if (text[i] === '-') {
      i++;
      if (!isDigitAt(i)) return failure('EINVAL', 'cpulist-syntax', text, i + 1);
      b = digits();
    }
    if (a > b) return failure('EINVAL', 'cpulist-syntax', text, item + 1);
    if (b >= BigInt(nbits)) return failure('ERANGE', 'cpulist-range', text, String(b), nbits);
    for (let n = Number(a); n <= Number(b); n++) bits.add(n);
    if (text[i] === ',') i++;
  } while (i < text.length && text[i] !== '\n');
  return success([...bits].sort((x, y) => x - y));
}

/** A cpu list of the trace language (`sched_setaffinity`'s `cpus`: `N` and `N-M` items, the schema's pattern) as ascending cpus. */
export function parseCpus(text: string): number[] {
  const out = new Set<number>();
  for (const item of text === '' ? [] : text.split(',')) {
    const [lo, hi] = item.split('-').map(Number) as [number, number | undefined];
    for (let c = lo; c <= (hi ?? lo); c++) out.add(c);
  }
  return [...out].sort((a, b) => a - b);
}

/** `cpulist_scnprintf`: ascending runs as `a-b`, single numbers as `a`, joined by commas. */
export function cpulistFormat(list: readonly number[]): string {
  const sorted = [...list].sort((x, y) => x - y);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

/** A cpulist naming a subset of `online` in each of reference: write's list forms, selected by `sel` (what fuzzing writes). */
export function cpulistSample(online: Set<number>, sel: number): string {
  const xs = [...online].sort((a, b) => a - b);
  if (xs.length === 0) return '';
  const lo = xs[sel % xs.length]!;
  const hi = xs[(sel >> 3) % xs.length]!;
  const [from, to] = lo <= hi ? [lo, hi] : [hi, lo];
  const mode = (sel >> 6) % 4;
  if (mode === 0 || from === to) return String(from);
  if (mode === 1) return `${from}-${to}`;
  if (mode === 2) return xs.filter((x) => x >= from && x <= to).join(',');
  return `${from}-${to},`;
}
