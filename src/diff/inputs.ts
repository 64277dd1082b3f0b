import { BadInputError } from '../errors.js';
import { isNdjsonPath, openTrace, parseJson, parseTrace, readOrFail, type Trace } from '../trace/load.js';
import type { Event } from '../trace/schema-types.js';
import { type CanonicalStateJson, parseStateFile } from './state-file.js';

/** What `kreplay diff` compares: a canonical state file or a trace to replay (reference: Command line). */
export type DiffInput =
  | { kind: 'state'; source: string; state: CanonicalStateJson }
  | { kind: 'trace'; source: string; trace: Trace<Iterable<Event>> };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Opens one diff operand. NDJSON files are traces (streamed); a JSON file is a trace when it has
 * the `kreplay` format field (reference: JSON traces), otherwise it must be a canonical state. The caller
 * closes a trace when done.
 */
export function openDiffInput(path: string): DiffInput {
  if (isNdjsonPath(path)) return { kind: 'trace', source: path, trace: openTrace(path) };
  const value = parseJson(readOrFail(path), path);
  if (isObject(value) && 'kreplay' in value) return { kind: 'trace', source: path, trace: parseTrace(value, path) };
  if (isObject(value) && 'tasks' in value) return { kind: 'state', source: path, state: parseStateFile(value, path) };
  throw new BadInputError(path, 'neither a trace (it has no "kreplay" field) nor a canonical state (no "tasks"): diff takes traces or `replay --state-out` files');
}
