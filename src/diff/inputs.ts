import { BadInputError } from '../errors.js';
import { decodeUtf8, inputLimits, isStdin, looksLikeHeader, openInput, readAllBytes, withStdin } from '../trace/input.js';
import { isNdjsonPath, type OpenOptions, openTrace, parseJson, parseTrace, readOrFail, type Trace } from '../trace/load.js';
import type { Event } from '../trace/schema-types.js';
import { type CanonicalStateJson, parseStateFile } from './state-file.js';

/** What `kreplay diff` compares: a canonical state file or a trace to replay (reference: Command line). */
export type DiffInput =
  | { kind: 'state'; source: string; state: CanonicalStateJson }
  | { kind: 'trace'; source: string; trace: Trace<Iterable<Event>> };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first line of `bytes` that is not blank. */
function firstLine(bytes: Buffer): string {
  let start = 0;
  for (;;) {
    const nl = bytes.indexOf(10, start);
    const line = bytes.subarray(start, nl === -1 ? bytes.length : nl).toString('utf8').trim();
    if (line !== '' || nl === -1) return line;
    start = nl + 1;
  }
}

/**
 * Opens one diff operand. NDJSON files are traces (streamed); a JSON file is a trace when it has
 * the `kreplay` format field (reference: JSON traces), otherwise it must be a canonical state. `-` is standard
 * input (read whole, bounded by the JSON size limit; an NDJSON header line makes it a trace).
 * The caller closes a trace when done.
 */
export function openDiffInput(path: string, opts: OpenOptions = {}): DiffInput {
  let text: string;
  if (isStdin(path)) {
    const r = openInput(path);
    let bytes: Buffer;
    try {
      bytes = readAllBytes(r, path, inputLimits(opts.limits).maxJsonBytes);
    } finally {
      r.close();
    }
    if (looksLikeHeader(firstLine(bytes))) return { kind: 'trace', source: path, trace: withStdin(bytes, () => openTrace(path, opts)) };
    text = decodeUtf8(bytes, path);
  } else if (isNdjsonPath(path)) return { kind: 'trace', source: path, trace: openTrace(path, opts) };
  else text = readOrFail(path, opts.limits);
  const value = parseJson(text, path);
  if (isObject(value) && 'kreplay' in value) return { kind: 'trace', source: path, trace: parseTrace(value, path) };
  if (isObject(value) && 'tasks' in value) return { kind: 'state', source: path, state: parseStateFile(value, path) };
  throw new BadInputError(path, 'neither a trace (it has no "kreplay" field) nor a canonical state (no "tasks"): diff takes traces or `replay --state-out` files');
}
