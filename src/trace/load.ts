import { openSync, readFileSync } from 'node:fs';
import { BadInputError } from '../errors.js';
import { resolveConfig } from '../semantics/config.js';
import { DEFAULT_SEMANTICS, getVersion, type SemanticVersion } from '../semantics/versions.js';
import type { Config } from '../semantics/config.js';
import { locateJsonError } from './json-position.js';
import { readLines } from './lines.js';
import { firstSchemaError } from './schema-errors.js';
import type { Event, TraceHeader } from './schema-types.js';
import { validators } from './schemas.js';

/** A loaded trace: its header and its events (an array, or a single-pass stream for NDJSON). */
export interface Trace<E extends Iterable<Event> = Event[]> {
  /** Where the trace came from, as error messages and `replay --json` name it. */
  source: string;
  format: 'json' | 'ndjson';
  header: TraceHeader;
  events: E;
  /** Releases the file a streamed trace holds open; safe to call more than once. */
  close: () => void;
}

/** NDJSON by name (reference: NDJSON traces): `.ndjson` / `.jsonl`. */
export const isNdjsonPath = (path: string): boolean => /\.(ndjson|jsonl)$/i.test(path);
/** Files a directory argument contributes (reference: Command line replay/validate). */
export const isTracePath = (path: string): boolean => /\.(json|ndjson|jsonl)$/i.test(path);

function systemReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'is a directory' };
  return (code && reasons[code]) ?? (e instanceof Error ? e.message : String(e));
}

/** Opens `path` for reading, or throws the one-line bad-input error reference: Traces asks for. */
function openOrFail(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (e) {
    throw new BadInputError(path, `cannot read file: ${systemReason(e)}`);
  }
}

/** The file's text; an unreadable file is bad input (reference: Traces). */
export function readOrFail(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new BadInputError(path, `cannot read file: ${systemReason(e)}`);
  }
}

/**
 * JSON.parse with reference: Traces's error: `where:line:col: invalid JSON: ...`. JSON.parse defines
 * `__proto__` keys as own data properties, so they never reach a prototype.
 */
export function parseJson(text: string, where: string, firstLine = 1): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch {
    const at = locateJsonError(body);
    const line = at.line + firstLine - 1;
    const hint = at.detail.endsWith('after the JSON value') && firstLine === 1 && !isNdjsonPath(where) ? ' (an NDJSON trace needs a .ndjson or .jsonl name)' : '';
    throw new BadInputError(`${where}:${line}:${at.column}`, `invalid JSON: ${at.detail}${hint}`);
  }
}

/** Location of event `index` (0-based) for messages: `file event 12 (/events/11/op)`. */
const eventWhere = (where: string, index: number, path: string): string => `${where} event ${index + 1} (${path || '/'})`;

/** Validates a parsed JSON trace (reference: JSON traces) against schemas/trace.schema.json. */
export function parseTrace(value: unknown, source: string): Trace {
  const v = validators();
  if (!v.trace(value)) {
    const { path, detail } = firstSchemaError(v.trace.errors);
    const m = /^\/events\/(\d+)/.exec(path);
    throw new BadInputError(m ? eventWhere(source, Number(m[1]), path) : `${source} (${path || '/'})`, detail);
  }
  const { events, ...header } = value;
  return { source, format: 'json', header, events, close: () => undefined };
}

/** Validates one NDJSON header line (reference: NDJSON traces). */
function parseHeader(value: unknown, where: string): TraceHeader {
  const v = validators();
  if (v.header(value)) return value;
  if (typeof value === 'object' && value !== null && 'events' in value) {
    throw new BadInputError(`${where} (/events)`, 'an NDJSON header has no "events": put one event per line after it');
  }
  const { path, detail } = firstSchemaError(v.header.errors);
  throw new BadInputError(`${where} (${path || '/'})`, detail);
}

/** Whether a line is empty or white space; no allocation for the usual line that starts with `{`. */
const isBlank = (text: string): boolean => text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '');

/** The events of an NDJSON trace, parsed and validated one line at a time as they are consumed. */
function* ndjsonEvents(lines: Generator<{ no: number; text: string }>, source: string): Generator<Event> {
  const validate = validators().event;
  let index = 0;
  for (const { no, text } of lines) {
    if (isBlank(text)) continue;
    const value = parseJson(text, source, no);
    if (!validate(value)) {
      const { path, detail } = firstSchemaError(validate.errors);
      throw new BadInputError(`${source}:${no} event ${index + 1} (${path || '/'})`, detail);
    }
    index++;
    yield value;
  }
}

/**
 * Opens a trace for a single pass. JSON traces are read and validated whole; NDJSON traces
 * (reference: NDJSON traces) have their header read now and their events streamed, each validated as it is
 * read, so memory stays bounded by the longest line.
 */
export function openTrace(path: string): Trace<Iterable<Event>> {
  if (!isNdjsonPath(path)) return loadJsonTrace(path);
  const lines = readLines(openOrFail(path));
  const close = (): void => void lines.return(undefined);
  try {
    // next() by hand: leaving a for-of early would close the line stream the events still need.
    for (let r = lines.next(); !r.done; r = lines.next()) {
      const { no, text } = r.value;
      if (isBlank(text)) continue;
      const header = parseHeader(parseJson(text, path, no), `${path}:${no}`);
      return { source: path, format: 'ndjson', header, events: ndjsonEvents(lines, path), close };
    }
  } catch (e) {
    close();
    throw e;
  }
  throw new BadInputError(path, 'empty trace: line 1 must be the header, e.g. {"kreplay": 1}');
}

function loadJsonTrace(path: string): Trace {
  return parseTrace(parseJson(readOrFail(path), path), path);
}

/** Loads a whole trace (JSON or NDJSON) into memory. */
export function loadTrace(path: string): Trace {
  const t = openTrace(path);
  try {
    return Array.isArray(t.events) ? (t as Trace) : { ...t, events: [...t.events] };
  } finally {
    t.close();
  }
}

/**
 * Resolves the semantic version and config a header asks for (`semantics` overrides it, reference: Command line),
 * so that an unknown name or an impossible config is reported against the trace (reference: Traces).
 */
export function resolveHeader(header: TraceHeader, source: string, semantics?: string): { version: SemanticVersion; config: Config } {
  const version = getVersion(semantics ?? header.semantics ?? DEFAULT_SEMANTICS, semantics ? '--semantics' : `${source} (/semantics)`);
  return { version, config: resolveConfig(version.defaults, header.config, `${source} (/config)`) };
}
