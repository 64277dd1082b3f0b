import { gzipSync } from 'node:zlib';
import { outcomeKind, type Outcome } from '../reducer/outcome.js';
import { matchesExpect } from '../replay/expect.js';
import { bootKernel, step } from '../replay/kernel.js';
import { replayFile } from '../replay/replay.js';
import { openTrace } from '../trace/load.js';
import type { Event, TraceHeader } from '../trace/schema-types.js';
import { encodeState } from './snapshot.js';

/** Bits of the per-event flag byte the page colours the timeline by. */
export const FLAG = { err: 1, blocked: 2, diverged: 4, violation: 8, expect: 16 } as const;

/** How many violations the page lists with their messages (a broken model can violate after every event). */
export const MAX_LISTED_VIOLATIONS = 10_000;

export interface ReportOptions {
  semantics?: string;
  /**
   * The reason behind an event's outcome (issue 15's reason codes; `kreplay report` passes `explainOutcome`): a
   * sentence shown with the event and with its divergence. Undefined = no reason.
   */
  reasonOf?: (index: number, ev: Event, outcome: Outcome) => string | undefined;
}

/**
 * The states the page starts from: one every `snapshotInterval(n)` events, so a jump anywhere in
 * a long trace steps at most that many events in the browser. Short traces need none (the page
 * keeps its own snapshots as it goes).
 */
export const snapshotInterval = (events: number): number => Math.max(4096, Math.ceil(events / 64));

/** What the page is given besides the model: the header, per-event columns, and the findings. */
export interface ReportData {
  meta: {
    source: string;
    semantics: string;
    header: Pick<TraceHeader, 'semantics' | 'config'>;
    events: number;
    counts: { ret: number; err: number; blocked: number };
    divergences: number;
    violations: number;
    stateHash: string;
    /** Violations with their messages (the first MAX_LISTED_VIOLATIONS); `index` 0 = the boot state. */
    listed: { index: number; invariant: string; message: string; subject: string }[];
    /** Event index -> reason, for the events the model explains (empty until reasons exist). */
    reasons: Record<string, string>;
  };
  /** The events as the trace has them, one JSON text per line, gzipped. */
  events: Buffer;
  /** The model's outcome of each event, one JSON text per line, gzipped. */
  outcomes: Buffer;
  /** One FLAG byte per event, gzipped. */
  flags: Buffer;
  /** The interval, then one line per state (snapshot.ts encoding) after every `interval`-th event, gzipped. */
  snapshots: Buffer;
}

/** A second, unchecked replay that encodes the state every `interval` events. */
function snapshots(path: string, semantics: string, interval: number, events: number): Buffer {
  const states: string[] = [];
  if (events >= interval) {
    const t = openTrace(path);
    try {
      const k = bootKernel(t.header, semantics);
      let index = 0;
      for (const ev of t.events) {
        step(k, ev);
        if (++index % interval === 0) states.push(encodeState(k.s));
        if (index >= events) break;
      }
    } finally {
      t.close();
    }
  }
  return gzipSync(Buffer.from([String(interval), ...states].join('\n'), 'utf8'));
}

/** Collects lines into a few large strings (one string per line would cost an object each). */
class Lines {
  private chunks: string[] = [];
  private buf = '';
  add(line: string): void {
    this.buf += line + '\n';
    if (this.buf.length > 1 << 20) {
      this.chunks.push(this.buf);
      this.buf = '';
    }
  }
  gzip(): Buffer {
    this.chunks.push(this.buf);
    const out = gzipSync(Buffer.from(this.chunks.join(''), 'utf8'), { level: 6 });
    this.chunks = [];
    return out;
  }
}

/**
 * Replays a trace (invariants checked, as `replay` does) and gathers what the report page needs.
 * NDJSON traces are streamed; the gathered columns grow with the trace (about a fifth of its
 * size once gzipped).
 */
export function gatherReport(path: string, opts: ReportOptions = {}): ReportData {
  const events = new Lines();
  const outcomes = new Lines();
  let flags = new Uint8Array(1 << 16);
  const reasons: Record<string, string> = Object.create(null) as Record<string, string>;
  const r = replayFile(path, {
    semantics: opts.semantics,
    onEvent: (index, ev, outcome) => {
      events.add(JSON.stringify(ev));
      outcomes.add(JSON.stringify(outcome));
      if (index > flags.length) {
        const grown = new Uint8Array(flags.length * 2);
        grown.set(flags);
        flags = grown;
      }
      const kind = outcomeKind(outcome);
      let f = kind === 'err' ? FLAG.err : kind === 'blocked' ? FLAG.blocked : 0;
      if (ev.expect !== undefined) f |= FLAG.expect | (matchesExpect(ev.expect, outcome) ? 0 : FLAG.diverged);
      flags[index - 1] = f;
      const reason = opts.reasonOf?.(index, ev, outcome);
      if (reason !== undefined) reasons[String(index)] = reason;
    },
  });
  for (const v of r.violations) if (v.index > 0) flags[v.index - 1] = (flags[v.index - 1] as number) | FLAG.violation;
  return {
    meta: {
      source: path,
      semantics: r.semantics,
      header: { semantics: r.header.semantics, config: r.header.config },
      events: r.events,
      counts: r.counts,
      divergences: r.divergences.length,
      violations: r.violations.length,
      stateHash: r.stateHash,
      listed: r.violations.slice(0, MAX_LISTED_VIOLATIONS).map((v) => ({ index: v.index, invariant: v.invariant, message: v.message, subject: v.subject })),
      reasons,
    },
    events: events.gzip(),
    outcomes: outcomes.gzip(),
    flags: gzipSync(flags.subarray(0, r.events)),
    snapshots: snapshots(path, r.semantics, snapshotInterval(r.events), r.events),
  };
}
