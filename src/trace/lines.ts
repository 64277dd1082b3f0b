import { closeSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const CHUNK = 1 << 20;

export interface Line {
  /** 1-based line number. */
  no: number;
  text: string;
}

/**
 * The lines of a file, read synchronously in 1 MiB chunks: memory is bounded by the longest line,
 * not the file. The descriptor is closed when the consumer stops early (generator return).
 * StringDecoder keeps a UTF-8 sequence split across two chunks intact.
 */
export function* readLines(fd: number): Generator<Line> {
  const buf = Buffer.allocUnsafe(CHUNK);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let no = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      const text = n === 0 ? rest + decoder.end() : rest + decoder.write(buf.subarray(0, n));
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        yield { no: ++no, text: text.slice(start, nl) };
        start = nl + 1;
      }
      rest = text.slice(start);
      if (n === 0) {
        if (rest.length > 0) yield { no: ++no, text: rest };
        return;
      }
    }
  } finally {
    closeSync(fd);
  }
}
