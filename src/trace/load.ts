import { BadInputError } from '../errors.js';
import { checkMechanisms } from '../semantics/mechanisms.js';
import { resolveConfig } from '../semantics/config.js';
import { DEFAULT_SEMANTICS, getVersion, type SemanticVersion } from '../semantics/versions.js';
import type { Config } from '../semantics/config.js';
import { inputLimits, type InputLimits, isStdin, type Line, openInput, readAllBytes, readLines, decodeUtf8, sniffFormat } from './input.js';
import { cut, JsonScanError, lineColumn, MAX_DEPTH, scanJson, type ScanResult } from './json-position.js';
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

/** How to open a trace: input limits, and whether to keep each value's source text (`--log`). */
export interface OpenOptions {
  limits?: Partial<InputLimits>;
  /** Record the source text of the header and of every event in {@link sourceText}. */
  keepSource?: boolean;
}

/**
 * The text a header or an event was parsed from, when the trace was opened with `keepSource`:
 * `replay --log` copies it as written (every field, every number such as 1e999) and only
 * replaces its `expect`. A header's text is its members, the `events` of a JSON trace left out.
 */
export const sourceText = new WeakMap<object, string>();

/** NDJSON by name (reference: JSON traces): `.ndjson` / `.jsonl`. */
export const isNdjsonPath = (path: string): boolean => /\.(ndjson|jsonl)$/i.test(path);
/** Files a directory argument contributes (reference: Command line replay/validate). */
export const isTracePath = (path: string): boolean => /\.(json|ndjson|jsonl)$/i.test(path);

/** The whole text of a JSON file (or of standard input), bounded by `maxJsonBytes`; bad input if unreadable. */
export function readOrFail(path: string, limits?: Partial<InputLimits>): string {
  const r = openInput(path);
  try {
    return decodeUtf8(readAllBytes(r, path, inputLimits(limits).maxJsonBytes), path);
  } finally {
    r.close();
  }
}

/**
 * The text parsed, after one bounded pass (json-position.ts) that locates invalid JSON
 * (reference: Traces: `where:line:col: invalid JSON: ...`), refuses nesting deeper than MAX_DEPTH and
 * keys given twice (a schema error with their JSON path). JSON.parse defines `__proto__` keys
 * as own data properties, so they never reach a prototype.
 */
export function parseJsonText(text: string, where: string, firstLine = 1, spans = false): { value: unknown; scan: ScanResult } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!spans) {
    const value = plainParse(body);
    if (value !== NOT_PLAIN) return { value, scan: NO_SPANS };
  }
  let scan: ScanResult;
  try {
    scan = scanJson(body, { maxDepth: MAX_DEPTH, spans });
  } catch (e) {
    if (!(e instanceof JsonScanError)) throw e;
    const at = lineColumn(body, e.offset);
    const loc = `${where}:${at.line + firstLine - 1}:${at.column}`;
    if (e.kind === 'duplicate') throw new BadInputError(`${loc} (${e.path})`, e.detail);
    if (e.kind === 'depth') throw new BadInputError(`${loc} (${cut(e.path || '/', 80)})`, `${e.detail}; no kreplay input nests so deep`);
    const hint = e.detail.endsWith('after the JSON value') && firstLine === 1 && !isNdjsonPath(where) ? ' (an NDJSON trace needs a .ndjson or .jsonl name)' : '';
    throw new BadInputError(loc, `invalid JSON: ${e.detail}${hint}`);
  }
  return { value: JSON.parse(body) as unknown, scan };
}

const NO_SPANS: ScanResult = { members: [], events: [] };
const NOT_PLAIN: unique symbol = Symbol('not plain');

/**
 * The fast path of {@link parseJsonText} for text that needs no report: JSON.parse accepts it, every
 * key it read is still there (the colons outside strings count the members; a key given twice
 * leaves fewer) and it nests well within MAX_DEPTH. Anything else takes the located scan, which
 * says what is wrong; so both paths accept and refuse the same texts.
 */
function plainParse(body: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(body) as unknown;
  } catch {
    return NOT_PLAIN;
  }
  if (typeof value !== 'object' || value === null) return colonsOutsideStrings(body) === 0 ? value : NOT_PLAIN;
  const members = membersOf(value, 1);
  return members >= 0 && members === colonsOutsideStrings(body) ? value : NOT_PLAIN;
}

/** The object members in `v` and everything it holds; -1 when it nests MAX_DEPTH deep (recursion bounded by it). */
function membersOf(v: object, depth: number): number {
  if (depth >= MAX_DEPTH) return -1;
  let n = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x !== 'object' || x === null) continue;
      const m = membersOf(x, depth + 1);
      if (m < 0) return -1;
      n += m;
    }
    return n;
  }
  for (const k in v) {
    n++;
    const x = (v as Record<string, unknown>)[k];
    if (typeof x !== 'object' || x === null) continue;
    const m = membersOf(x, depth + 1);
    if (m < 0) return -1;
    n += m;
  }
  return n;
}

/** The `:` outside string literals of JSON text: one per object member. */
function colonsOutsideStrings(s: string): number {
  let n = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x3a /* : */) n++;
  }
  return n;
}

/** {@link parseJsonText}'s value. */
export function parseJson(text: string, where: string, firstLine = 1): unknown {
  return parseJsonText(text, where, firstLine).value;
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
function* ndjsonEvents(lines: Generator<Line>, source: string, keep: boolean): Generator<Event> {
  const validate = validators().event;
  let index = 0;
  for (const { no, text } of lines) {
    if (isBlank(text)) continue;
    const value = parseJson(text, source, no);
    if (!validate(value)) {
      const { path, detail } = firstSchemaError(validate.errors);
      throw new BadInputError(`${source}:${no} event ${index + 1} (${path || '/'})`, detail);
    }
    if (keep) sourceText.set(value, text);
    index++;
    yield value;
  }
}

/**
 * Opens a trace for a single pass. JSON traces are read and validated whole; NDJSON traces
 * (reference: JSON traces) have their header read now and their events streamed, each validated as it is
 * read, so memory stays bounded by the longest line. `-` is standard input, JSON or NDJSON
 * by its first line that is not blank.
 */
export function openTrace(path: string, opts: OpenOptions = {}): Trace<Iterable<Event>> {
  const limits = inputLimits(opts.limits);
  const reader = openInput(path);
  let format: 'json' | 'ndjson' = isNdjsonPath(path) ? 'ndjson' : 'json';
  let prefix: Buffer | undefined;
  try {
    if (isStdin(path)) ({ format, prefix } = sniffFormat(reader, limits));
    if (format === 'json') {
      const text = decodeUtf8(readAllBytes(reader, path, limits.maxJsonBytes, prefix), path);
      return jsonTrace(text, path, opts.keepSource === true);
    }
  } catch (e) {
    reader.close();
    throw e;
  } finally {
    if (format === 'json') reader.close();
  }
  const lines = readLines(reader, path, limits.maxLineBytes, prefix);
  const close = (): void => {
    lines.return(undefined);
    reader.close();
  };
  try {
    // next() by hand: leaving a for-of early would close the line stream the events still need.
    for (let r = lines.next(); !r.done; r = lines.next()) {
      const { no, text } = r.value;
      if (isBlank(text)) continue;
      const header = parseHeader(parseJson(text, path, no), `${path}:${no}`);
      if (opts.keepSource) sourceText.set(header, text.trim().slice(1, -1));
      return { source: path, format: 'ndjson', header, events: ndjsonEvents(lines, path, opts.keepSource === true), close };
    }
  } catch (e) {
    close();
    throw e;
  }
  close();
  throw new BadInputError(path, 'empty trace: line 1 must be the header, e.g. {"kreplay": 1}');
}

/** A whole JSON trace from its text; with `keep`, the source text of its header and events. */
function jsonTrace(text: string, path: string, keep: boolean): Trace {
  const { value, scan } = parseJsonText(text, path, 1, keep);
  const t = parseTrace(value, path);
  if (keep) {
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    sourceText.set(t.header, scan.members.filter((m) => m.key !== 'events').map((m) => body.slice(m.keyStart, m.valueEnd)).join(','));
    t.events.forEach((ev, i) => {
      const span = scan.events[i];
      if (span) sourceText.set(ev, body.slice(span[0], span[1]));
    });
  }
  return t;
}

/** Loads a whole trace (JSON or NDJSON) into memory. */
export function loadTrace(path: string, opts: OpenOptions = {}): Trace {
  const t = openTrace(path, opts);
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
  const config = resolveConfig(version.defaults, header.config, `${source} (/config)`);
  checkMechanisms(version, config, `${source} (/config)`);
  return { version, config };
}
