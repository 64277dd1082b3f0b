import { BadInputError } from '../errors.js';
import { getVersion } from '../semantics/versions.js';
import type { InputLimits } from '../trace/input.js';
import { cut } from '../trace/json-position.js';

/** `--semantics NAME`, accepted by every command that replays (reference: Command line). */
export const semanticsOption = {
  type: 'string',
  describe: "semantic version to replay under, overriding the trace header's (containers-2006, cgroups-2009, linux-6)",
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
    throw new BadInputError(`--${flag}`, `expected an integer >= ${min}, got ${cut(JSON.stringify(value), 60)}`);
  }
  return n;
}

/** `--max-line-bytes` and `--max-json-bytes` (issue 14: bounded input), for every command that reads traces. */
export const limitOptions = {
  'max-line-bytes': { type: 'string', requiresArg: true, describe: 'longest NDJSON line accepted, in bytes (K, M, G suffixes) [16M]' },
  'max-json-bytes': { type: 'string', requiresArg: true, describe: 'largest .json trace or state file accepted, in bytes (K, M, G suffixes) [64M]' },
} as const;

/** A byte count flag: `1048576`, `64K`, `16M`, `1G`; at least 1, at most 4G (a JavaScript string's reach). */
export function sizeFlag(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const m = /^([0-9]{1,12})([kmg]i?b?)?$/i.exec(String(value).trim());
  const unit = m?.[2] ? 1024 ** ('kmg'.indexOf((m[2][0] as string).toLowerCase()) + 1) : 1;
  const n = m ? Number(m[1]) * unit : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 4 * 1024 ** 3) {
    throw new BadInputError(`--${flag}`, `expected a size in bytes from 1 to 4G such as 16M, got ${JSON.stringify(String(value).slice(0, 40))}`);
  }
  return n;
}

/** The input limits the flags ask for. */
export function limitsFrom(args: { maxLineBytes?: unknown; maxJsonBytes?: unknown }): Partial<InputLimits> {
  const out: Partial<InputLimits> = {};
  const line = sizeFlag('max-line-bytes', args.maxLineBytes);
  const json = sizeFlag('max-json-bytes', args.maxJsonBytes);
  if (line !== undefined) out.maxLineBytes = line;
  if (json !== undefined) out.maxJsonBytes = json;
  return out;
}

/**
 * A count flag with an upper bound (`--runs`, `--max-events`), else bad input naming the bound:
 * a value past it would only exhaust memory or never end.
 */
export function boundedCountFlag(flag: string, value: unknown, min: number, max: number): number | undefined {
  const n = countFlag(flag, value, min);
  if (n !== undefined && n > max) throw new BadInputError(`--${flag}`, `at most ${max}, got ${n}`);
  return n;
}
