import { type Errno, failure, type Result, success } from '../reducer/outcome.js';

/**
 * `bitmap_parselist` of Linux 6.x (lib/bitmap-str.c; `cpulist_parse` / `nodelist_parse` call it
 * for cpuset `cpus` / `mems` under `linux-6`). A list of regions `a`, `a-b` or `a-b:used/group`
 * (`N` is the last bit, `all` is `0-N`), separated by any run of commas and white space, empty
 * elements included; a region ends at white space, a comma, the end or a newline, and the list
 * at the end or a newline in place of a region. Errors, first bad region deciding: bad syntax,
 * a > b, a group of 0 or used > group → EINVAL; a number past 32 bits → EOVERFLOW; b >= `nbits`
 * → ERANGE. Returns the set as an ascending list.
 */

/** The kernel's `isspace` on ASCII (space, \t \n \v \f \r). */
const isSpace = (c: string | undefined): boolean => c === ' ' || (c !== undefined && c >= '\t' && c <= '\r');
/** `end_of_str`: the end of the text or a newline. */
const endOfStr = (c: string | undefined): boolean => c === undefined || c === '\n' || c === '\0';
/** `__end_of_region`: white space or a comma. */
const betweenRegions = (c: string | undefined): boolean => isSpace(c) || c === ',';
/** `end_of_region`. */
const endOfRegion = (c: string | undefined): boolean => betweenRegions(c) || endOfStr(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

const U32 = 1n << 32n;

interface Region {
  start: number;
  end: number;
  off: number;
  groupLen: number;
}

type Num = { n: number; at: number } | { err: Errno };

/** `bitmap_getnum`: `N` is `lastbit`; else decimal digits (none → EINVAL, past u32 → EOVERFLOW). */
function getnum(text: string, at: number, lastbit: number): Num {
  if (text[at] === 'N') return { n: lastbit, at: at + 1 };
  let i = at;
  let n = 0n;
  while (isDigit(text[i])) n = n * 10n + BigInt(text.charCodeAt(i++) - 48);
  if (i === at) return { err: 'EINVAL' };
  if (n >= U32) return { err: 'EOVERFLOW' };
  return { n: Number(n), at: i };
}

/**
 * `bitmap_parse_region`: one region from `at`; the index after it (null: the list ended) or an
 * errno. The u32 arithmetic of `end + 1` is kept: a region ending at 2^32 - 1 has a group of 0.
 */
function parseRegion(text: string, at: number, nbits: number, r: Region): { next: number | null } | { err: Errno } {
  const lastbit = nbits - 1;
  let i = at;
  let pattern: boolean;
  if (text.slice(i, i + 3).toLowerCase() === 'all') {
    r.start = 0;
    r.end = lastbit;
    i += 3;
    pattern = true;
  } else {
    const a = getnum(text, i, lastbit);
    if ('err' in a) return a;
    r.start = a.n;
    i = a.at;
    if (endOfRegion(text[i])) {
      r.end = r.start;
      pattern = false;
    } else {
      if (text[i] !== '-') return { err: 'EINVAL' };
      const b = getnum(text, i + 1, lastbit);
      if ('err' in b) return b;
      r.end = b.n;
      i = b.at;
      pattern = true;
    }
  }
  if (pattern && !endOfRegion(text[i])) {
    if (text[i] !== ':') return { err: 'EINVAL' };
    const off = getnum(text, i + 1, lastbit);
    if ('err' in off) return off;
    if (text[off.at] !== '/') return { err: 'EINVAL' };
    const len = getnum(text, off.at + 1, lastbit);
    if ('err' in len) return len;
    r.off = off.n;
    r.groupLen = len.n;
    return { next: len.at };
  }
  r.off = (r.end + 1) % 2 ** 32;
  r.groupLen = r.off;
  return { next: endOfStr(text[i]) ? null : i };
}

/** `bitmap_check_region`. */
function checkRegion(r: Region, nbits: number): Errno | null {
  if (r.start > r.end || r.groupLen === 0 || r.off > r.groupLen) return 'EINVAL';
  if (r.end >= nbits) return 'ERANGE';
  return null;
}

export function bitmapParselistRegions(text: string, nbits: number): Result<number[]> {
  const bits = new Set<number>();
  let at: number | null = 0;
  const r: Region = { start: 0, end: 0, off: 0, groupLen: 0 };
  while (at !== null) {
    // `bitmap_find_region`: skip separators; the end of the text ends the list.
    while (betweenRegions(text[at])) at++;
    if (endOfStr(text[at])) break;
    const p = parseRegion(text, at, nbits, r);
    if ('err' in p) return p.err === 'EOVERFLOW' ? failure('EOVERFLOW', 'number-overflow', text) : failure(p.err, 'cpulist-syntax', text, at + 1);
    const e = checkRegion(r, nbits);
    if (e === 'ERANGE') return failure('ERANGE', 'cpulist-range', text, String(r.end), nbits);
    if (e) return failure(e, 'cpulist-bad-region', text, r.start, r.end);
    // `bitmap_set_region`: `off` bits of every group of `groupLen` from start to end.
    for (let g = r.start; g <= r.end; g += r.groupLen) for (let b = g; b < g + r.off && b <= r.end; b++) bits.add(b);
    at = p.next;
  }
  return success([...bits].sort((x, y) => x - y));
}
