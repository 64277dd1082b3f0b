import { canonicalJson, type Json } from '../state/json.js';

/**
 * Values of the canonical state as people read them: cpu and memory sets in the kernel's list
 * syntax, everything else as compact JSON, always whole (long values are wrapped, never cut).
 * No terminal or Node dependency, so the HTML report (src/report) uses it in the browser too.
 */

/** Fields holding a set of cpus, memory nodes or cluster nodes: shown in the kernel's cpulist syntax. */
const LIST_FIELD = /(?:^|\.)(cpus|mems|effectiveCpus|effectiveMems|cpusOnline|memsOnline|nodesUp|cpuset\.cpus|cpuset\.mems)$/;

/** `[0,1,2,5]` → `0-2,5` (bitmap_scnlistprintf), or null when the array is not a sorted set of naturals. */
export function cpulist(xs: readonly Json[]): string | null {
  const parts: string[] = [];
  for (let i = 0; i < xs.length; ) {
    const lo = xs[i];
    if (typeof lo !== 'number' || !Number.isInteger(lo) || lo < 0 || (i > 0 && lo <= (xs[i - 1] as number))) return null;
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === (xs[j] as number) + 1) j++;
    parts.push(j === i ? `${lo}` : `${lo}-${xs[j] as number}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** A value as one (possibly long) line for people: cpulists for cpu/mem sets, compact JSON otherwise. */
export function renderValue(path: string, v: Json | undefined): string {
  if (v === undefined) return '(none)';
  if (Array.isArray(v) && LIST_FIELD.test(path)) {
    const list = cpulist(v);
    if (list !== null) return list === '' ? '(empty)' : list;
  }
  return canonicalJson(v);
}

/**
 * Cuts `text` into lines of at most `width` characters (the first line `first`), breaking after a
 * `,` or a space where one is near enough (JSON reads best cut between elements), else inside a
 * long token. Nothing is dropped: joining the lines gives `text` back.
 */
export function wrapText(text: string, width: number, first = width): string[] {
  const lines: string[] = [];
  let rest = text;
  for (let w = Math.max(8, Math.floor(first)); rest.length > w; w = Math.max(8, Math.floor(width))) {
    let cut = -1;
    for (let i = w; i > w / 2; i--) {
      const c = rest[i - 1];
      if (c === ',' || c === ' ') {
        cut = i;
        break;
      }
    }
    if (cut < 0) cut = w;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  lines.push(rest);
  return lines;
}
