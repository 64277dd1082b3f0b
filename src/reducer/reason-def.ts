/**
 * The shape of a reason code's definition (src/reducer/reasons.ts collects them): which outcome it
 * explains, what its arguments are, and the sentence it reads as. A leaf module: the area tables
 * (src/kernel/reasons.ts, ...) import it without importing the reducer.
 */

/**
 * An argument of a reason: a number or string as the event or the state had it when the event
 * failed, or a snapshot that nothing mutates later (a cpu list, a cpuset state the model replaces
 * rather than changes). Never a live task or cgroup.
 */
export type ReasonArg = string | number | boolean | readonly number[] | object;

export interface ReasonDef {
  /** The errno it explains, `blocked`, or `any` (an injected fault's errno is the trace's choice). */
  outcome: string;
  /** The arguments' names, in order, as `--json` and the reference list them. */
  args: readonly string[];
  /** The human sentence; called only when the reason is shown. */
  text: (...args: ReasonArg[]) => string;
}

export type ReasonTable = Record<string, ReasonDef>;

/** A pid argument as the caller wrote it: 0 and an absent one mean the caller. */
export const pidText = (p: ReasonArg | undefined): string => (p === undefined || p === 0 ? 'the caller' : `pid ${String(p)}`);

/** `[0,1,2,5]` as the kernel prints a cpu list, `0-2,5` (empty: `(none)`). */
export function listText(a: ReasonArg | undefined): string {
  if (!Array.isArray(a)) return String(a);
  const xs = a as readonly number[];
  if (xs.length === 0) return '(none)';
  const out: string[] = [];
  for (let i = 0; i < xs.length; ) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === (xs[j] as number) + 1) j++;
    out.push(j === i ? `${xs[i]}` : `${xs[i]}-${xs[j]}`);
    i = j + 1;
  }
  return out.join(',');
}
