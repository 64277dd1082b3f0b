import { replayEvents, type FileReplayResult } from '../replay/replay.js';
import type { Outcome } from '../reducer/outcome.js';
import { VERSIONS } from '../semantics/versions.js';
import type { Expect } from '../trace/schema-types.js';
import type { Trace } from '../trace/load.js';
import { recordTrace, type RecordOptions, type Recording } from './record.js';

/** The newest semantic version: conform's default. */
export const newestSemantics = (): string => Object.keys(VERSIONS).at(-1) as string;

export interface Conformance {
  recording: Recording;
  /** The recording replayed under the model; divergence indices are those of the input trace. */
  replay: FileReplayResult;
}

/**
 * `kreplay conform` (docs/recording.md): records `trace` on the live kernel, then replays the
 * recording under `semantics`; every divergence is an event where the kernel and the model
 * disagree (`expected` is the kernel's outcome, `actual` the model's).
 */
export async function conformTrace(trace: Trace, semantics: string, opts: RecordOptions = {}): Promise<Conformance> {
  const recording = await recordTrace(trace, opts);
  const r = replayEvents(recording.header, recording.events, { semantics });
  const at = (i: number): number => (i === 0 ? 0 : (recording.sourceIndex[i - 1] as number));
  const replay: FileReplayResult = {
    ...r,
    divergences: r.divergences.map((d) => ({ ...d, index: at(d.index) })),
    violations: r.violations.map((v) => ({ ...v, index: at(v.index) })),
    trace: trace.source,
    semantics,
    header: recording.header,
  };
  return { recording, replay };
}

/** An outcome in a report: `ret 0`, `ret "0-1\n"`, `EINVAL`, `blocked`. */
export function outcomeText(o: Expect | Outcome): string {
  if ('err' in o && o.err !== undefined) return o.err;
  if ('blocked' in o && o.blocked) return 'blocked';
  return `ret ${JSON.stringify((o as { ret: unknown }).ret)}`;
}

/** "event N (op): kernel said X, model says Y", one line per disagreement. */
export function disagreementLines(c: Conformance): string[] {
  return c.replay.divergences.map((d) => `event ${d.index} (${d.op}): kernel said ${outcomeText(d.expected)}, model says ${outcomeText(d.actual)}`);
}
