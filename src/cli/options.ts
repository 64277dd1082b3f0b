import { BadInputError } from '../errors.js';
import { getVersion } from '../semantics/versions.js';

/** `--semantics NAME`, accepted by every command that replays (reference: Command line). */
export const semanticsOption = {
  type: 'string',
  describe: "semantic version to replay under, overriding the trace header's (containers-2006, cgroups-2009)",
} as const;

export const jsonOption = { type: 'boolean', default: false, describe: 'machine-readable output, one JSON object per line' } as const;

/** Checks a `--semantics` value up front, so a typo is bad input before any trace is read. */
export function checkSemantics(name: string | undefined): string | undefined {
  if (name !== undefined) getVersion(name, '--semantics');
  return name;
}

/**
 * A flag that must be a non-negative safe integer (`--at`, `--runs`, ...), else bad input (reference: Traces).
 * Declare such flags `type: 'string'` so the message can quote what was typed (yargs turns `x` into NaN).
 */
export function countFlag(flag: string, value: unknown, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    throw new BadInputError(`--${flag}`, `expected an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return n;
}
