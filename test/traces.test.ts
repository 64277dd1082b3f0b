import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayFile } from '../src/replay/replay.js';
import { isTracePath } from '../src/trace/load.js';

const root = join(import.meta.dirname, '..', 'traces');

function tracesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tracesUnder(join(dir, e.name)) : isTracePath(e.name) ? [join(dir, e.name)] : []))
    .sort();
}

// traces/kernel/ holds recordings of the live kernel (`kreplay record`): their expects are the
// kernel's, and where cgroups-2009 disagrees is listed in docs/versions.md; test/record checks them.
const traces = tracesUnder(root).filter((t) => !relative(root, t).startsWith('kernel'));

describe('every trace under traces/ replays cleanly under its own semantics', () => {
  it('there are traces to replay', () => {
    expect(traces.length).toBeGreaterThan(0);
  });

  it.each(traces.map((t) => [relative(root, t), t]))('%s: zero divergences, zero violations', (_name, path) => {
    const r = replayFile(path);
    expect(r.events).toBeGreaterThan(0);
    expect(r.divergences).toEqual([]);
    expect(r.violations).toEqual([]);
  });
});
