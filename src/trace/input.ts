import { isAscii, isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { BadInputError } from '../errors.js';

/**
 * Bounded input (issue 14): every byte kreplay reads comes through here. Files must be regular
 * files or pipes (a device such as /dev/zero never ends); `-` is standard input; a JSON file may
 * not exceed `maxJsonBytes`, an NDJSON line `maxLineBytes`; the text must be UTF-8. Memory is
 * bounded by these limits whatever the input.
 */
export interface InputLimits {
  /** The longest NDJSON line accepted, in bytes (`--max-line-bytes`). */
  maxLineBytes: number;
  /** The largest JSON file (a whole trace or state) accepted, in bytes (`--max-json-bytes`). */
  maxJsonBytes: number;
}

export const DEFAULT_LIMITS: InputLimits = { maxLineBytes: 16 << 20, maxJsonBytes: 64 << 20 };

/** The limits with defaults filled in. */
export const inputLimits = (l: Partial<InputLimits> | undefined): InputLimits => ({ ...DEFAULT_LIMITS, ...l });

/** The name `-` (standard input) as messages print it. */
export const STDIN = '-';
export const isStdin = (path: string): boolean => path === STDIN;

const CHUNK = 1 << 20;

/** A source of bytes: a file descriptor, or a buffer standing in for standard input. */
export interface ByteReader {
  /** Fills `buf` from the start; returns the number of bytes read, 0 at the end. */
  read(buf: Buffer): number;
  close(): void;
}

let stdinOverride: Buffer | null = null;

/**
 * Runs `fn` with standard input replaced by `bytes` (for in-process callers: the input fuzzing
 * campaign and tests). Not re-entrant with itself.
 */
export function withStdin<T>(bytes: Buffer | string, fn: () => T): T {
  const saved = stdinOverride;
  stdinOverride = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  try {
    return fn();
  } finally {
    stdinOverride = saved;
  }
}

/** The async form of {@link withStdin}, for `main()`. */
export async function withStdinAsync<T>(bytes: Buffer | string, fn: () => Promise<T>): Promise<T> {
  const saved = stdinOverride;
  stdinOverride = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  try {
    return await fn();
  } finally {
    stdinOverride = saved;
  }
}

class BufferReader implements ByteReader {
  private at = 0;
  constructor(private readonly bytes: Buffer) {}
  read(buf: Buffer): number {
    const n = this.bytes.copy(buf, 0, this.at, Math.min(this.bytes.length, this.at + buf.length));
    this.at += n;
    return n;
  }
  close(): void {}
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

class FdReader implements ByteReader {
  private closed = false;
  constructor(private readonly fd: number, private readonly owned: boolean, private readonly source: string) {}
  read(buf: Buffer): number {
    for (;;) {
      try {
        return readSync(this.fd, buf, 0, buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // A non-blocking pipe (Node may leave stdin so) has no data yet: wait a little, retry.
        if (code === 'EAGAIN') {
          Atomics.wait(sleeper, 0, 0, 5);
          continue;
        }
        if (code === 'EOF') return 0;
        throw new BadInputError(this.source, `cannot read file: ${systemReason(e)}`);
      }
    }
  }
  close(): void {
    if (this.closed || !this.owned) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/** A system error as a few words for a one-line message. */
export function systemReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'is a directory',
    ENOTDIR: 'a component of the path is not a directory',
    ENOSPC: 'no space left on device',
    EROFS: 'read-only file system',
    ENAMETOOLONG: 'file name too long',
    ELOOP: 'too many symbolic links',
    EEXIST: 'file exists',
    EXDEV: 'not on the same file system',
    EIO: 'input/output error',
    EFBIG: 'file too large',
    EDQUOT: 'disk quota exceeded',
  };
  return (code && reasons[code]) ?? (e instanceof Error ? e.message.split('\n')[0] ?? '' : String(e));
}

/**
 * Opens `path` (or standard input for `-`) for reading. Only regular files, pipes and sockets
 * are accepted: a device or a terminal is refused before any byte is read.
 */
export function openInput(path: string): ByteReader {
  if (isStdin(path)) {
    if (stdinOverride) return new BufferReader(stdinOverride);
    checkKind(0, 'standard input');
    return new FdReader(0, false, 'standard input');
  }
  if (path === '') throw new BadInputError("''", 'cannot read file: empty file name');
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new BadInputError(path, `cannot read file: ${systemReason(e)}`);
  }
  try {
    checkKind(fd, path);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return new FdReader(fd, true, path);
}

function checkKind(fd: number, where: string): void {
  let st;
  try {
    st = fstatSync(fd);
  } catch (e) {
    throw new BadInputError(where, `cannot read file: ${systemReason(e)}`);
  }
  if (st.isFile() || st.isFIFO() || st.isSocket()) return;
  if (st.isDirectory()) throw new BadInputError(where, 'cannot read file: is a directory');
  const what = st.isCharacterDevice() ? (fd === 0 ? 'a terminal or device: pipe a trace in, e.g. kreplay replay - < t.ndjson' : 'a character device') : st.isBlockDevice() ? 'a block device' : 'not a regular file';
  throw new BadInputError(where, `cannot read file: ${what}; kreplay reads regular files, pipes and - (standard input)`);
}

/** The 0-based byte offset of the first invalid UTF-8 sequence in `b` (b is known to be invalid). */
function firstBadUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    const len = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (len === 0 || i + len > b.length) return i;
    if (!isUtf8(b.subarray(i, i + len))) return i;
    i += len;
  }
  return b.length;
}

/**
 * `bytes` as text; invalid UTF-8 is bad input (replacing bytes by U+FFFD would make two
 * different names equal). `where` locates the text; `firstLine` numbers its lines.
 */
export function decodeUtf8(bytes: Buffer, where: string, firstLine?: number): string {
  if (!isUtf8(bytes)) {
    const at = firstBadUtf8(bytes);
    const before = bytes.subarray(0, at);
    let line = 0;
    let lineStart = 0;
    for (let i = before.indexOf(10); i !== -1; i = before.indexOf(10, i + 1)) {
      line++;
      lineStart = i + 1;
    }
    const loc = firstLine === undefined ? `${where}:${line + 1}` : `${where}:${firstLine + line}`;
    throw new BadInputError(`${loc}:${at - lineStart + 1}`, `invalid UTF-8 (byte 0x${(bytes[at] as number).toString(16).padStart(2, '0')} at byte ${at + 1}): kreplay reads UTF-8 text only`);
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff && (firstLine ?? 1) === 1 ? text.slice(1) : text;
}

const mib = (n: number): string => (n % (1 << 20) === 0 ? `${n / (1 << 20)}M` : String(n));

let wholeReadBuffer: Buffer | null = null;

/** Reads everything, refusing more than `max` bytes (a whole JSON trace or state file). */
export function readAllBytes(r: ByteReader, where: string, max: number, prefix?: Buffer): Buffer {
  const parts: Buffer[] = prefix && prefix.length > 0 ? [prefix] : [];
  let total = prefix?.length ?? 0;
  // One read buffer for every whole read (they never overlap: this loop is synchronous).
  const buf = (wholeReadBuffer ??= Buffer.allocUnsafe(CHUNK));
  for (;;) {
    const n = r.read(buf);
    if (n === 0) break;
    total += n;
    if (total > max) {
      throw new BadInputError(where, `larger than ${mib(max)} bytes, the limit for a JSON file (--max-json-bytes raises it; a long trace is better NDJSON, read line by line)`);
    }
    // A copy of what was read: a pipe gives 64 KiB at a time, and each piece keeps only itself.
    parts.push(Buffer.from(buf.subarray(0, n)));
  }
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, total);
}

export interface Line {
  /** 1-based line number. */
  no: number;
  text: string;
}

/**
 * The lines of a byte source, read in 1 MiB chunks: newlines are found in the bytes and each line
 * is decoded once, so reading a line is linear in its length, and memory is bounded by
 * `maxLineBytes` (a longer line is bad input) whatever the file. The reader is closed when the
 * consumer stops early (generator return). `prefix` is bytes already read from the source.
 */
export function* readLines(r: ByteReader, where: string, maxLineBytes: number, prefix?: Buffer): Generator<Line> {
  // 64 KiB first (most traces are small), 1 MiB once a read fills it.
  let buf = Buffer.allocUnsafe(CHUNK >> 4);
  let parts: Buffer[] = [];
  let partsLen = 0;
  let no = 0;
  const tooLong = (): never => {
    throw new BadInputError(`${where}:${no + 1}`, `line longer than ${mib(maxLineBytes)} bytes (--max-line-bytes raises the limit)`);
  };
  const lineOf = (tail: Buffer): Line => {
    no++;
    const bytes = partsLen === 0 ? tail : Buffer.concat([...parts, tail], partsLen + tail.length);
    parts = [];
    partsLen = 0;
    if (bytes.length > maxLineBytes) tooLong();
    return { no, text: decodeUtf8(bytes, where, no) };
  };
  try {
    let chunk: Buffer | null = prefix && prefix.length > 0 ? prefix : null;
    for (;;) {
      if (chunk === null) {
        const n = r.read(buf);
        if (n === 0) {
          if (partsLen > 0) yield lineOf(Buffer.alloc(0));
          return;
        }
        chunk = buf.subarray(0, n);
        if (n === buf.length && buf.length < CHUNK) buf = Buffer.allocUnsafe(CHUNK);
      }
      let start = 0;
      const last = chunk.lastIndexOf(10);
      if (partsLen > 0 && last !== -1) {
        // the line the previous chunk began, on its own
        const nl = chunk.indexOf(10);
        if (partsLen + nl > maxLineBytes) tooLong();
        yield lineOf(chunk.subarray(0, nl));
        start = nl + 1;
      }
      // The whole lines of the chunk: checked and decoded at once when no line can be too long
      // and all are UTF-8 (a newline byte never occurs inside a UTF-8 sequence), else line by
      // line, which finds the line at fault. Native calls per line were most of the reading, and
      // ASCII read as latin1 makes one-byte strings, which JSON.parse reads fastest.
      const block = last >= start ? chunk.subarray(start, last + 1) : null;
      const ascii = block !== null && block.length <= maxLineBytes && isAscii(block);
      if (block !== null && (ascii || (block.length <= maxLineBytes && isUtf8(block)))) {
        const text = block.toString(ascii ? 'latin1' : 'utf8');
        let from = no === 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
        for (let nl = text.indexOf('\n', from); nl !== -1; nl = text.indexOf('\n', from)) {
          yield { no: ++no, text: text.slice(from, nl) };
          from = nl + 1;
        }
        start = last + 1;
      }
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        if (partsLen + nl - start > maxLineBytes) tooLong();
        yield lineOf(chunk.subarray(start, nl));
        start = nl + 1;
      }
      if (start < chunk.length) {
        partsLen += chunk.length - start;
        if (partsLen > maxLineBytes) tooLong();
        // The chunk buffer is reused: keep a copy of the unfinished line.
        parts.push(Buffer.from(chunk.subarray(start)));
      }
      chunk = null;
    }
  } finally {
    r.close();
  }
}

/**
 * For standard input, whose name says nothing: reads up to the first line that is not blank
 * and says whether it is an NDJSON header (a whole JSON object without `events`) or the start
 * of a JSON trace. Returns the bytes read, to be read again by the trace reader.
 */
export function sniffFormat(r: ByteReader, limits: InputLimits): { format: 'json' | 'ndjson'; prefix: Buffer } {
  const parts: Buffer[] = [];
  let total = 0;
  /** Where the line being read starts, in the bytes read so far. */
  let lineStart = 0;
  const buf = Buffer.allocUnsafe(CHUNK >> 4);
  const done = (format: 'json' | 'ndjson'): { format: 'json' | 'ndjson'; prefix: Buffer } => ({ format, prefix: Buffer.concat(parts, total) });
  for (;;) {
    const n = r.read(buf);
    if (n === 0) {
      const rest = Buffer.concat(parts, total).subarray(lineStart).toString('utf8').trim();
      return done(rest !== '' && looksLikeHeader(rest) ? 'ndjson' : 'json');
    }
    const chunk = Buffer.from(buf.subarray(0, n));
    parts.push(chunk);
    const chunkAt = total;
    total += n;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, nl + 1)) {
      const end = chunkAt + nl;
      // Within this chunk, no copy; a line begun in an earlier chunk is joined once.
      const bytes = lineStart >= chunkAt ? chunk.subarray(lineStart - chunkAt, nl) : Buffer.concat(parts, total).subarray(lineStart, end);
      const line = bytes.toString('utf8').trim();
      if (line !== '') return done(looksLikeHeader(line) ? 'ndjson' : 'json');
      lineStart = end + 1;
    }
    // A first line longer than an NDJSON line may be is no header: the input is JSON.
    if (total - lineStart > limits.maxLineBytes) return done('json');
  }
}

/** Whether a line is an NDJSON header: one whole JSON object with `kreplay` and without `events`. */
export function looksLikeHeader(line: string): boolean {
  if (!line.startsWith('{') || !line.endsWith('}')) return false;
  try {
    const v = JSON.parse(line) as unknown;
    const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(v, k);
    return typeof v === 'object' && v !== null && !Array.isArray(v) && has('kreplay') && !has('events');
  } catch {
    return false;
  }
}
