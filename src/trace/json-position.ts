/**
 * One pass over JSON text by the JSON grammar, with an explicit stack instead of recursion, so no
 * input nesting can overflow the call stack (a trace nested 100,000 deep is bad input, not a
 * crash). It does three jobs JSON.parse cannot:
 * - where the text first breaks the grammar (line and column, reference: Traces: V8's messages carry no
 *   position for some errors and change wording between versions);
 * - nesting deeper than a limit (every later recursive walk, e.g. JSON.stringify of a divergence,
 *   then stays shallow);
 * - a key given twice in one object, with its JSON path (JSON.parse silently keeps the last).
 * It can also record where each top-level member's value and each element of the top-level
 * `events` array lie in the text, so `replay --log` can copy them as written.
 */
export interface JsonSyntaxError {
  line: number;
  column: number;
  detail: string;
}

/** How deep any kreplay input may nest: a trace needs about 6 levels, a state file about 8. */
export const MAX_DEPTH = 64;

/** A top-level member `"key": value` of the scanned object, by offsets into the text. */
export interface MemberSpan {
  key: string;
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

export interface ScanResult {
  /** Members of the top-level object, in text order (empty when the value is not an object). */
  members: MemberSpan[];
  /** [start, end) of each element of the top-level `events` array, when `spans` was asked for. */
  events: Array<[number, number]>;
}

/** Where and why the scan stopped: a grammar error, a key given twice, or nesting too deep. */
export class JsonScanError {
  constructor(
    readonly offset: number,
    readonly detail: string,
    /** `syntax`: invalid JSON; `duplicate`, `depth`: valid JSON kreplay refuses. */
    readonly kind: 'syntax' | 'duplicate' | 'depth',
    /** JSON pointer of the duplicate key or of the value nested too deep. */
    readonly path = '',
  ) {}
}

const SP = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const BACKSLASH = 92;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

/** The states of the scan: what the grammar allows next. */
const VALUE = 0;
const VALUE_OR_CLOSE = 1; // just after `[`
const KEY = 2; // after `,` in an object
const KEY_OR_CLOSE = 3; // just after `{`
const AFTER_VALUE = 4;

const pointerSegment = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

function describeAt(s: string, i: number): string {
  return i >= s.length ? 'end of input' : `character ${JSON.stringify(s[i])}`;
}

/**
 * Scans `s` (one JSON value with white space around it). Throws JsonScanError at the first
 * grammar error, duplicate key, or value nested deeper than `maxDepth`.
 */
export function scanJson(s: string, opts: { maxDepth?: number; spans?: boolean } = {}): ScanResult {
  const maxDepth = opts.maxDepth ?? MAX_DEPTH;
  const result: ScanResult = { members: [], events: [] };
  /** Per open container: true for an object. */
  const isObj: boolean[] = [];
  /** Per open object: its keys so far (created on its second key: most objects are small). */
  const keys: Array<Set<string> | string | null> = [];
  /** Per open container: the path segment leading to it (for messages). */
  const segs: string[] = [];
  /** Per open array: the index of the current element. */
  const index: number[] = [];
  const n = s.length;
  let i = 0;
  let state = VALUE;
  let lastEnd = 0;
  let inEvents = false;
  let member: MemberSpan | null = null;
  let elementStart = -1;
  /** Steps past the `}` or `]` at `i` that closes the container at depth `d`. */
  const close = (d: number): void => {
    i++;
    lastEnd = i;
    isObj.pop();
    keys.pop();
    segs.pop();
    index.pop();
    if (d === 2) inEvents = false;
  };

  const path = (last?: string): string => {
    const parts = segs.slice(1);
    if (last !== undefined) parts.push(last);
    return parts.length === 0 ? '' : '/' + parts.map(pointerSegment).join('/');
  };
  const fail = (detail: string): never => {
    throw new JsonScanError(i, detail, 'syntax');
  };
  /** The key of the member being read, for paths. */
  let lastKey = '';
  /** The path segment of the value about to start inside the innermost container. */
  const currentSegment = (): string => {
    const d = isObj.length;
    if (d === 0) return '';
    return isObj[d - 1] ? lastKey : String(index[d - 1]);
  };

  /** Scans a string starting at the quote at `i`; returns its decoded text only when `want`. */
  const string = (want: boolean): string => {
    const start = i;
    i++;
    let escaped = false;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === QUOTE) {
        i++;
        if (!want) return '';
        return escaped ? (JSON.parse(s.slice(start, i)) as string) : s.slice(start + 1, i - 1);
      }
      if (c < SP) fail(`control character ${JSON.stringify(s[i])} in a string`);
      if (c === BACKSLASH) {
        escaped = true;
        const e = s[i + 1];
        if (e === 'u') {
          HEX4.lastIndex = i + 2;
          if (!HEX4.test(s)) fail('bad \\u escape in a string');
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail('bad escape in a string');
        i += 2;
        continue;
      }
      i++;
    }
    return fail('unterminated string');
  };

  for (;;) {
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c !== SP && c !== LF && c !== CR && c !== TAB) break;
      i++;
    }
    const d = isObj.length;
    if (state === AFTER_VALUE) {
      if (opts.spans) {
        if (d === 1 && member) {
          member.valueEnd = lastEnd;
          result.members.push(member);
          member = null;
        } else if (d === 2 && inEvents && elementStart >= 0) {
          result.events.push([elementStart, lastEnd]);
          elementStart = -1;
        }
      }
      if (d === 0) break;
      const c = s.charCodeAt(i);
      if (isObj[d - 1]) {
        if (c === 0x2c /* , */) {
          i++;
          state = KEY;
          continue;
        }
        if (c !== 0x7d /* } */) fail(`unexpected ${describeAt(s, i)}, expected "," or "}"`);
      } else {
        if (c === 0x2c) {
          i++;
          (index[d - 1] as number)++;
          state = VALUE;
          continue;
        }
        if (c !== 0x5d /* ] */) fail(`unexpected ${describeAt(s, i)}, expected "," or "]"`);
      }
      close(d);
      continue;
    }
    if (state === KEY || state === KEY_OR_CLOSE) {
      const c = s.charCodeAt(i);
      if (state === KEY_OR_CLOSE && c === 0x7d) {
        close(d);
        state = AFTER_VALUE;
        continue;
      }
      if (c !== QUOTE) fail(`unexpected ${describeAt(s, i)}, expected a quoted key`);
      const keyStart = i;
      const key = string(true);
      const k = keys[d - 1];
      if (k === null || k === undefined) keys[d - 1] = key;
      else {
        const set = typeof k === 'string' ? new Set([k]) : k;
        if (set.has(key)) throw new JsonScanError(keyStart, `duplicate key ${JSON.stringify(cut(key, 60))}: JSON keeps only one of them`, 'duplicate', path(key));
        set.add(key);
        keys[d - 1] = set;
      }
      lastKey = key;
      while (i < n && (s.charCodeAt(i) === SP || s.charCodeAt(i) === LF || s.charCodeAt(i) === CR || s.charCodeAt(i) === TAB)) i++;
      if (s.charCodeAt(i) !== 0x3a /* : */) fail(`unexpected ${describeAt(s, i)}, expected ":"`);
      i++;
      if (opts.spans && d === 1) member = { key, keyStart, valueStart: -1, valueEnd: -1 };
      state = VALUE;
      continue;
    }
    // VALUE or VALUE_OR_CLOSE
    const c = s.charCodeAt(i);
    if (state === VALUE_OR_CLOSE && c === 0x5d) {
      close(d);
      state = AFTER_VALUE;
      continue;
    }
    if (opts.spans) {
      if (d === 1 && member) member.valueStart = i;
      else if (d === 2 && inEvents) elementStart = i;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (d >= maxDepth) throw new JsonScanError(i, `nested deeper than ${maxDepth} levels`, 'depth', path(currentSegment()));
      if (opts.spans && d === 1 && member?.key === 'events' && c === 0x5b) inEvents = true;
      segs.push(currentSegment());
      isObj.push(c === 0x7b);
      keys.push(null);
      index.push(0);
      i++;
      state = c === 0x7b ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
      continue;
    }
    if (c === QUOTE) string(false);
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(s);
      if (!m) fail('malformed number');
      i += (m as RegExpExecArray)[0].length;
    } else if (s.startsWith('true', i)) i += 4;
    else if (s.startsWith('false', i)) i += 5;
    else if (s.startsWith('null', i)) i += 4;
    else fail(`unexpected ${describeAt(s, i)}, expected a JSON value`);
    lastEnd = i;
    state = AFTER_VALUE;
  }
  if (i < n) fail(`unexpected ${describeAt(s, i)} after the JSON value`);
  return result;
}

/** `text` cut to `max` characters with an ellipsis and its full size, for messages. */
export function cut(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

/** Line and column (both 1-based) of the offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Where `text` (which JSON.parse rejected) first breaks the JSON grammar. */
export function locateJsonError(text: string): JsonSyntaxError {
  try {
    scanJson(text, { maxDepth: Infinity });
  } catch (e) {
    if (!(e instanceof JsonScanError)) throw e;
    return { ...lineColumn(text, e.offset), detail: e.detail };
  }
  return { ...lineColumn(text, text.length), detail: 'invalid JSON' };
}
