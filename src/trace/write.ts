import { closeSync, openSync, writeSync } from 'node:fs';
import { BadInputError } from '../errors.js';
import type { Outcome } from '../reducer/outcome.js';
import { isNdjsonPath } from './load.js';
import type { Event, Expect, TraceHeader } from './schema-types.js';

/**
 * The event with `outcome` as its `expect` (reference: Command line `--log`, the 9.1 round trip). The copy is
 * prototype-free and built key by key, so no user key can reach a prototype (reference: Traces).
 */
export function withExpect(ev: Event, outcome: Outcome): Event {
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(ev)) out[key] = (ev as unknown as Record<string, unknown>)[key];
  out.expect = outcome as Expect;
  return out as unknown as Event;
}

const FLUSH_AT = 1 << 16;

/**
 * Writes a trace incrementally, so a log of a streamed replay needs no memory for its events:
 * NDJSON (header line, one event per line) when the name ends in .ndjson/.jsonl, else a JSON
 * trace with one event per line.
 */
export class TraceWriter {
  private readonly fd: number;
  private readonly ndjson: boolean;
  private buf = '';
  private count = 0;

  constructor(readonly path: string, header: TraceHeader) {
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw new BadInputError(path, `cannot write file: ${(e as Error).message}`);
    }
    this.ndjson = isNdjsonPath(path);
    const head = JSON.stringify(header);
    this.buf = this.ndjson ? head + '\n' : head.slice(0, -1) + (head === '{}' ? '' : ',') + '"events":[';
  }

  write(ev: Event): void {
    this.buf += this.ndjson ? JSON.stringify(ev) + '\n' : (this.count === 0 ? '\n' : ',\n') + JSON.stringify(ev);
    this.count++;
    if (this.buf.length >= FLUSH_AT) this.flush();
  }

  close(): void {
    if (!this.ndjson) this.buf += '\n]}\n';
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    writeSync(this.fd, this.buf);
    this.buf = '';
  }
}
