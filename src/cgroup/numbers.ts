import type { SemanticVersion } from '../semantics/versions.js';
import { type Errno, failure, type Result, success } from '../reducer/outcome.js';
import { kstrtoint, kstrtoull } from './kstrtox.js';

/** Numbers written to control files (reference: write): 2006 `simple_strtoul` / `sscanf`, 2009 `write_u64`. */

const U64 = 1n << 64n;
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isSpace = (c: string): boolean => c === ' ' || (c >= '\t' && c <= '\r');

/** `strstrip`: surrounding white space (isspace) removed. */
export function strstrip(text: string): string {
  let a = 0;
  let b = text.length;
  while (a < b && isSpace(text[a] as string)) a++;
  while (b > a && isSpace(text[b - 1] as string)) b--;
  return text.slice(a, b);
}

/** `simple_strtoul(buf, NULL, 10)`: the leading decimal digits (none reads as 0), modulo 2^64. */
export function simpleStrtoul(text: string): bigint {
  let n = 0n;
  for (let i = 0; isDigit(text[i]); i++) n = (n * 10n + BigInt(text.charCodeAt(i) - 48)) % U64;
  return n;
}

const digitValue = (c: string): number => {
  const l = c.toLowerCase();
  if (l >= '0' && l <= '9') return l.charCodeAt(0) - 48;
  if (l >= 'a' && l <= 'f') return l.charCodeAt(0) - 87;
  return 99;
};

/**
 * 2.6.33 `cgroup_write_X64`: `simple_strtoull(strstrip(buf), &end, 0)` and the whole stripped text
 * must be consumed (`0x` hex, leading `0` octal, else decimal); null when it is not.
 */
export function writeU64(text: string): bigint | null {
  const t = strstrip(text);
  let base = 10;
  let i = 0;
  if (t[0] === '0') base = t[1]?.toLowerCase() === 'x' && digitValue(t[2] ?? '') < 16 ? 16 : 8;
  if (base === 16) i = 2;
  let n = 0n;
  for (; i < t.length && digitValue(t[i] as string) < base; i++) n = (n * BigInt(base) + BigInt(digitValue(t[i] as string))) % U64;
  return i === t.length ? n : null;
}

/**
 * A number written to a u64 control file, read leniently (2006), strictly (2009, EINVAL), or by
 * 6.x `cgroup_file_write`'s `kstrtoull(buf, 0)` on the unstripped text (EINVAL, ERANGE).
 */
export function parseControlU64(v: SemanticVersion, text: string): Result<bigint> {
  if (v.numberParsing === 'lenient') return success(simpleStrtoul(text));
  if (v.numberParsing === 'kstrtox') return kstrtoull(text);
  const n = writeU64(text);
  return n === null ? failure('EINVAL', 'bad-number', text) : success(n);
}

/**
 * seed 001 `attach_task`'s `sscanf(pidbuf, "%d", &pid)`: white space, an optional `-`, digits
 * (wrapping to an int); null when no digits follow.
 */
export function sscanfInt(text: string): number | null {
  const m = /^[ \t\n\v\f\r]*(-?)(\d+)/.exec(text);
  if (!m) return null;
  const n = BigInt.asIntN(32, BigInt(m[2] as string));
  return Number(m[1] === '-' ? BigInt.asIntN(32, -n) : n);
}

/**
 * The pid written to `tasks` (or `cgroup.procs`): 2006 sscanf (EIO on no digits), 2009 write_u64
 * (EINVAL), as an int; 6.x `cgroup_procs_write_start`: `kstrtoint(strstrip(buf), 0)`, and any
 * failure or a negative pid is EINVAL.
 */
export function parseTasksPid(v: SemanticVersion, text: string): Result<number> {
  const errno = v.tasksParseErrno as Errno;
  if (v.numberParsing === 'kstrtox') {
    const n = kstrtoint(strstrip(text));
    return n.ok && n.value >= 0 ? n : failure('EINVAL', 'bad-pid-text', text);
  }
  if (v.numberParsing === 'lenient') {
    const n = sscanfInt(text);
    return n === null ? failure(errno, 'bad-pid-text', text) : success(n);
  }
  const n = writeU64(text);
  return n === null ? failure(errno, 'bad-pid-text', text) : success(Number(BigInt.asIntN(32, n)));
}
