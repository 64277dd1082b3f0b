import type { Outcome } from '../reducer/outcome.js';
import type { KernelState } from '../state/types.js';
import type { Event, TraceHeader } from '../trace/schema-types.js';
import { bootKernel, type Kernel, step } from './kernel.js';

export interface TimelineOptions {
  /** Overrides the header's semantics (reference: Command line `--semantics`). */
  semantics?: string;
  /** A snapshot is kept every `interval` events (K): a seek replays at most K events once they exist. */
  interval?: number;
}

export const DEFAULT_SNAPSHOT_INTERVAL = 256;

/**
 * Time travel over one trace (reference: Command line `replay --at`, `diff --at`): `stateAt(n)` is the state after
 * event n (0 = boot). The timeline keeps a cursor and a `structuredClone` snapshot of the state at
 * every multiple of K it has passed, so a seek backwards restores the nearest snapshot at or
 * before n and replays at most K - 1 events; a seek forwards continues from the cursor when that
 * is nearer. Determinism (reference: Determinism and the state) is what makes a replay from a snapshot equal a replay from boot.
 */
export class Timeline {
  readonly length: number;
  private readonly interval: number;
  private readonly snapshots = new Map<number, KernelState>();
  private readonly outcomes: Outcome[] = [];
  private cursor: Kernel;
  private position = 0;
  private steps = 0;

  constructor(
    header: Pick<TraceHeader, 'semantics' | 'config'>,
    private readonly events: readonly Event[],
    opts: TimelineOptions = {},
  ) {
    const k = opts.interval ?? DEFAULT_SNAPSHOT_INTERVAL;
    if (!Number.isSafeInteger(k) || k < 1) throw new RangeError(`snapshot interval must be a positive integer, not ${k}`);
    this.interval = k;
    this.length = events.length;
    this.cursor = bootKernel(header, opts.semantics);
    this.snapshots.set(0, structuredClone(this.cursor.s));
  }

  /**
   * The kernel after event n. The state is the timeline's own: read it, do not change it; it is
   * valid until the next seek (use `cloneAt` for a copy to keep).
   */
  kernelAt(n: number): Kernel {
    this.seek(n);
    return this.cursor;
  }

  /** The state after event n (read-only, valid until the next seek). */
  stateAt(n: number): KernelState {
    return this.kernelAt(n).s;
  }

  /** A private copy of the state after event n. */
  cloneAt(n: number): KernelState {
    return structuredClone(this.stateAt(n));
  }

  /** The outcome of event n (1-based). */
  outcome(n: number): Outcome {
    if (!Number.isSafeInteger(n) || n < 1 || n > this.length) throw new RangeError(`no event ${n} (the trace has ${this.length})`);
    if (this.outcomes.length < n) this.seek(n);
    return this.outcomes[n - 1] as Outcome;
  }

  /** How many events this timeline has applied in all (what seeks cost). */
  get replayedEvents(): number {
    return this.steps;
  }

  /** How many snapshots are held (boot included). */
  get snapshotCount(): number {
    return this.snapshots.size;
  }

  private seek(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.length) throw new RangeError(`no point ${n} (the trace has ${this.length} events)`);
    const base = this.nearestSnapshot(n);
    if (this.position > n || this.position < base) {
      this.cursor = { v: this.cursor.v, s: structuredClone(this.snapshots.get(base) as KernelState) };
      this.position = base;
    }
    while (this.position < n) {
      const outcome = step(this.cursor, this.events[this.position] as Event);
      this.position++;
      this.steps++;
      if (this.outcomes.length < this.position) this.outcomes.push(outcome);
      if (this.position % this.interval === 0 && !this.snapshots.has(this.position)) {
        this.snapshots.set(this.position, structuredClone(this.cursor.s));
      }
    }
  }

  /** The latest snapshot at or before n (boot always exists). */
  private nearestSnapshot(n: number): number {
    for (let at = n - (n % this.interval); at > 0; at -= this.interval) if (this.snapshots.has(at)) return at;
    return 0;
  }
}
