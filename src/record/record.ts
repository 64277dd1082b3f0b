import type { Event, TraceHeader } from '../trace/schema-types.js';
import type { Trace } from '../trace/load.js';
import { withExpect } from '../trace/write.js';
import { decodeReply, Executor, type Sandbox } from './executor.js';
import { probeMachine, RECORDED_SEMANTICS } from './machine.js';
import { planEvent, type PlanState, type Step } from './plan.js';
import { RecordFailure, RecordRefusal } from './refusal.js';

export interface RecordOptions {
  /** Drop the events a live kernel cannot run instead of refusing the trace. */
  skipUnrecordable?: boolean;
  /**
   * Handle SIGINT/SIGTERM/SIGHUP while recording: end the sandbox, then exit 128+signal (the CLI
   * sets this; a library caller that handles signals itself leaves it off).
   */
  handleSignals?: boolean;
  /** Called once the executor runs (tests use its pid). */
  onExecutor?: (pid: number) => void;
  /**
   * Aborting ends the sandbox (as SIGTERM does) and makes the recording fail with RecordFailure:
   * how a caller that handles SIGINT itself (`fuzz --against-kernel`) stops a recording.
   */
  signal?: AbortSignal;
}

/** A trace as the live kernel answered it. */
export interface Recording {
  header: TraceHeader;
  events: Event[];
  /** For each recorded event, its 1-based index in the input trace. */
  sourceIndex: number[];
  /** How many events --skip-unrecordable dropped. */
  skipped: number;
  sandbox: Sandbox;
}

interface Planned {
  ev: Event;
  index: number;
  step: Exclude<Step, { refuse: string }>;
}

/** Plans every event before anything runs: refuses the first unrecordable one, or drops them all. */
function planAll(events: readonly Event[], noprefix: boolean, skip: boolean): { planned: Planned[]; skipped: number } {
  const st: PlanState = { noprefix, hierarchy: null };
  const planned: Planned[] = [];
  let skipped = 0;
  events.forEach((ev, i) => {
    const step = planEvent(ev, st);
    if (!('refuse' in step)) planned.push({ ev, index: i + 1, step });
    else if (skip) skipped++;
    else throw new RecordRefusal(`event ${i + 1} (${ev.op}) cannot run on a live kernel: ${step.refuse} (--skip-unrecordable drops such events)`);
  });
  return { planned, skipped };
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const SIGNO: Record<(typeof SIGNALS)[number], number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

/**
 * `kreplay record` (docs/recording.md): runs every event of `trace` on the running kernel, in a
 * sandbox (a pid namespace and a private cpuset subtree), and returns the trace with the
 * kernel's outcome as each event's `expect`, under a header naming the kernel and a config
 * describing this machine. Refuses (RecordRefusal) before anything runs when the machine or
 * the trace cannot be recorded. The sandbox is gone when this returns or throws.
 */
export async function recordTrace(trace: Pick<Trace, 'header' | 'events'>, opts: RecordOptions = {}): Promise<Recording> {
  const machine = probeMachine();
  const { planned, skipped } = planAll(trace.events, machine.noprefix, opts.skipUnrecordable === true);
  if (opts.signal?.aborted) throw new RecordFailure('aborted before the sandbox started');
  const ex = new Executor(machine.cpusetDir);
  const onAbort = (): void => void ex.terminate();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const handlers = opts.handleSignals
    ? SIGNALS.map((sig) => {
        const h = (): void => void ex.terminate().finally(() => process.exit(128 + SIGNO[sig]));
        process.on(sig, h);
        return () => process.off(sig, h);
      })
    : [];
  try {
    if (ex.pid !== undefined) opts.onExecutor?.(ex.pid);
    const sandbox = await ex.ready();
    const events: Event[] = [];
    for (const p of planned) {
      const outcome = 'local' in p.step ? p.step.local : decodeReply(await ex.run(p.step.cmd));
      events.push(withExpect(p.ev, outcome as Parameters<typeof withExpect>[1]));
    }
    const header: TraceHeader = {
      kreplay: 1,
      semantics: RECORDED_SEMANTICS,
      config: { ...machine.config, possibleMems: sandbox.possibleMems, ...(sandbox.pidMax >= 2 ? { pidMax: sandbox.pidMax } : {}) },
      kernel: machine.kernel,
    };
    if (trace.header.note !== undefined) header.note = trace.header.note;
    return { header, events, sourceIndex: planned.map((p) => p.index), skipped, sandbox };
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await ex.close();
    for (const off of handlers) off();
  }
}

/** A recording as a JSON trace: the header, then one event per line (as `replay --log` writes). */
export function recordingText(header: TraceHeader, events: readonly Event[]): string {
  const head = JSON.stringify(header);
  return `${head.slice(0, -1)},"events":[\n${events.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`;
}
