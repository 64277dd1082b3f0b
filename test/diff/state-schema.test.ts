import { BadInputError } from '../../src/errors.js';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stateValidator } from '../../src/diff/state-file.js';
import { bootKernel, type Kernel, step } from '../../src/replay/kernel.js';
import { VERSIONS } from '../../src/semantics/versions.js';
import { canonicalState } from '../../src/state/canonical.js';
import { isTracePath, loadTrace } from '../../src/trace/load.js';
import { commandArb, materialize } from './gen.js';

const root = join(import.meta.dirname, '..', '..', 'traces');
const tracesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tracesUnder(join(dir, e.name)) : isTracePath(e.name) ? [join(dir, e.name)] : []))
    .sort();
const traces = tracesUnder(root);

/** Validates the canonical state, returning ajv's first error as a readable line (or null). */
function schemaError(k: Kernel): string | null {
  const validate = stateValidator();
  if (validate(canonicalState(k.s, k.v))) return null;
  const e = validate.errors?.[0];
  return `${e?.instancePath} ${e?.message} ${JSON.stringify(e?.params)}`;
}

function bootsUnder(header: Parameters<typeof bootKernel>[0], name: string): boolean {
  try {
    bootKernel(header, name);
    return true;
  } catch (e) {
    if (e instanceof BadInputError) return false;
    throw e;
  }
}

describe('schemas/state.schema.json describes the canonical state (reference: Determinism and the state)', () => {
  it('there are traces to check', () => {
    expect(traces.length).toBeGreaterThan(0);
  });

  // One shape for every version: each trace is checked under every version, after every event.
  it.each(traces.map((t) => [relative(root, t), t]))('%s: the state after every event, under every version, matches the schema', (_n, path) => {
    const trace = loadTrace(path);
    for (const name of Object.keys(VERSIONS)) {
      // A trace configured for a mechanism a version lacks (a cluster under linux-6) is bad input there.
      if (!bootsUnder(trace.header, name)) continue;
      const k = bootKernel(trace.header, name);
      expect(schemaError(k), `${name} boot`).toBeNull();
      trace.events.forEach((ev, i) => {
        step(k, ev);
        expect(schemaError(k), `${name} after event ${i + 1} (${ev.op})`).toBeNull();
      });
    }
  });

  it('property: generated process traces keep the state inside the schema', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 30 }), (commands) => {
        const { events } = materialize(commands);
        const k = bootKernel({});
        for (const ev of events) step(k, ev);
        expect(schemaError(k)).toBeNull();
      }),
      { numRuns: 50, seed: 11 },
    );
  });

  it('the schema rejects what is not a canonical state', () => {
    const validate = stateValidator();
    const good = canonicalState(bootKernel({}).s, bootKernel({}).v);
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, tasks: 3 })).toBe(false);
    expect(validate({ ...good, extra: 1 })).toBe(false);
    const { last: _last, ...noLast } = good;
    expect(validate(noLast)).toBe(false);
  });
});
