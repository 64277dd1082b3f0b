import type { Outcome } from '../reducer/outcome.js';
import { AtomicOutput } from './atomic-write.js';
import { MAX_DEPTH, scanJson } from './json-position.js';
import { isNdjsonPath, sourceText } from './load.js';
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

/** JSON white space between tokens may hold newlines; strings cannot: one line for NDJSON. */
const oneLine = (text: string): string => (/[\r\n]/.test(text) ? text.replace(/[\r\n]+/g, ' ') : text);

/**
 * An object's source text with member `key` set to `valueJson`: the value replaced where it is,
 * or the member appended; every other byte is kept as written (numbers such as 1e999 included).
 */
export function setMemberText(objectText: string, key: string, valueJson: string): string {
  const { members } = scanJson(objectText, { spans: true, maxDepth: MAX_DEPTH });
  const m = members.find((x) => x.key === key);
  if (m) return objectText.slice(0, m.valueStart) + valueJson + objectText.slice(m.valueEnd);
  const close = objectText.lastIndexOf('}');
  return `${objectText.slice(0, close)}${members.length > 0 ? ',' : ''}${JSON.stringify(key)}:${valueJson}${objectText.slice(close)}`;
}

/**
 * Writes a trace incrementally, so a log of a streamed replay needs no memory for its events:
 * NDJSON (header line, one event per line) when the name ends in .ndjson/.jsonl, else a JSON
 * trace with one event per line. The file is written beside the target and put in place only
 * by {@link close} (atomic-write.ts); {@link abort} leaves the target as it was.
 * Headers and events opened with `keepSource` (load.ts) are copied as written.
 */
export class TraceWriter {
  private readonly out: AtomicOutput;
  private readonly ndjson: boolean;
  private count = 0;

  /** `semantics`, when given, replaces the header's (the version actually replayed). */
  constructor(readonly path: string, header: TraceHeader, semantics?: string) {
    this.ndjson = isNdjsonPath(path);
    const source = sourceText.get(header);
    let head: string;
    if (source !== undefined) {
      head = `{${source}}`;
      if (semantics !== undefined) head = setMemberText(head, 'semantics', JSON.stringify(semantics));
    } else head = JSON.stringify(semantics === undefined ? header : { ...header, semantics });
    if (this.ndjson) head = oneLine(head);
    this.out = new AtomicOutput(path);
    this.out.write(this.ndjson ? head + '\n' : head.slice(0, head.lastIndexOf('}')) + (/^\{\s*\}$/.test(head) ? '' : ',') + '"events":[');
  }

  /** Writes `ev` as given (a copy made by {@link withExpect}, for instance). */
  write(ev: Event): void {
    this.line(JSON.stringify(ev));
  }

  /** Writes `ev` with `outcome` as its expect; from its source text when it has one. */
  writeEvent(ev: Event, outcome: Outcome): void {
    const source = sourceText.get(ev);
    this.line(source === undefined ? JSON.stringify(withExpect(ev, outcome)) : setMemberText(source, 'expect', JSON.stringify(outcome)));
  }

  /** Completes the file and puts it in place. */
  close(): void {
    if (!this.ndjson) this.out.write('\n]}\n');
    this.out.commit();
  }

  /** Removes what was written; the target is left as it was. */
  abort(): void {
    this.out.abort();
  }

  private line(text: string): void {
    this.out.write(this.ndjson ? oneLine(text) + '\n' : (this.count === 0 ? '\n' : ',\n') + text);
    this.count++;
  }
}
