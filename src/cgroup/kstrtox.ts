import { failure, type Result, success } from '../reducer/outcome.js';

/**
 * The number parsers of Linux 6.x lib/kstrtox.c (`kstrtoull`, `kstrtoll`, `kstrtoint`), as
 * cgroup control files use them under `linux-6`: nothing is stripped, one trailing newline is
 * allowed, a leading `+` (and for the signed ones `-`) is taken, base 0 reads `0x` as hex and a
 * leading `0` as octal, and an overflow is ERANGE instead of wrapping.
 */

const U64 = 1n << 64n;

/** `_tolower` + digit value in base 16; 99 for anything that is not a hex digit. */
function digitValue(c: string | undefined): number {
  if (c === undefined) return 99;
  const l = c.toLowerCase();
  if (l >= '0' && l <= '9') return l.charCodeAt(0) - 48;
  if (l >= 'a' && l <= 'f') return l.charCodeAt(0) - 87;
  return 99;
}

/**
 * 6.x `_kstrtoull(s, 0, res)`: `_parse_integer_fixup_radix` (a `0x` followed by a hex digit is
 * hex, another leading `0` octal, else decimal), `_parse_integer` (no digit → EINVAL, past 2^64 →
 * ERANGE), then one `\n` and nothing else.
 */
function kstrtoullNoSign(s: string): Result<bigint> {
  let base = 10;
  let i = 0;
  if (s[0] === '0') {
    base = s[1]?.toLowerCase() === 'x' && digitValue(s[2]) < 16 ? 16 : 8;
    if (base === 16) i = 2;
  }
  const start = i;
  let n = 0n;
  let overflow = false;
  for (; i < s.length && digitValue(s[i]) < base; i++) {
    n = n * BigInt(base) + BigInt(digitValue(s[i]));
    if (n >= U64) overflow = true;
  }
  if (overflow) return failure('ERANGE', 'number-range', s);
  if (i === start) return failure('EINVAL', 'bad-number', s);
  if (s[i] === '\n') i++;
  return i === s.length ? success(n) : failure('EINVAL', 'bad-number', s);
}

/** 6.x `kstrtoull(s, 0, res)` (lib/kstrtox.c): a leading `+` is skipped. */
export function kstrtoull(s: string): Result<bigint> {
  return kstrtoullNoSign(s[0] === '+' ? s.slice(1) : s);
}

/** 6.x `kstrtoll(s, 0, res)`: a leading `-` negates; outside the signed 64-bit range → ERANGE. */
export function kstrtoll(s: string): Result<bigint> {
  const neg = s[0] === '-';
  const r = neg ? kstrtoullNoSign(s.slice(1)) : kstrtoull(s);
  if (!r.ok) return r;
  const n = neg ? -r.value : r.value;
  return n < -(1n << 63n) || n >= 1n << 63n ? failure('ERANGE', 'number-range', s) : success(n);
}

/** 6.x `kstrtoint(s, 0, res)`: `kstrtoll`, then outside the int range → ERANGE. */
export function kstrtoint(s: string): Result<number> {
  const r = kstrtoll(s);
  if (!r.ok) return r;
  return r.value < -(1n << 31n) || r.value >= 1n << 31n ? failure('ERANGE', 'number-range', s) : success(Number(r.value));
}
