import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frontDoorInputArb, frontDoorProblem, frontDoorProperty } from '../../src/fuzz/frontdoor.js';

describe('the front door (reference: Traces): random and mutated input is bad input, never a crash', () => {
  it('parse + schema + replay in-process: exit-2 errors naming the location, no prototype change (fixed seed)', () => {
    fc.assert(frontDoorProperty(), { seed: 7, numRuns: 600 });
  }, 30_000);

  it('a few typical bad inputs are each one line naming the file', () => {
    for (const text of ['{"kreplay":1,"events":[{"op":"forkk","by":1}]}', '{"kreplay":1,"events":[{"op":"fork","by":1.5}]}', '{"kreplay":1,"events":[', '[]', '{"kreplay":1,"config":{"__proto__":1},"events":[]}']) {
      expect(frontDoorProblem(text)).toBeNull();
    }
  });

  it('spawned CLI: replay/validate of mutated traces and invalid UTF-8 exit 2 with one line, never 3', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kreplay-frontdoor-'));
    const samples = fc.sample(frontDoorInputArb(), { seed: 3, numRuns: 4 });
    const files = samples.map((text, i) => {
      const f = join(dir, `m${i}.json`);
      writeFileSync(f, text);
      return f;
    });
    const bad = join(dir, 'utf8.ndjson');
    writeFileSync(bad, Buffer.concat([Buffer.from('{"kreplay":1}\n{"op":"fork","by":1,"note":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n{"op":"fork"')]));
    files.push(bad);
    for (const f of files) {
      for (const cmd of ['replay', 'validate']) {
        const r = spawnSync(process.execPath, ['bin/kreplay', cmd, f], { encoding: 'utf8' });
        expect([0, 1, 2]).toContain(r.status);
        if (r.status === 2) {
          expect(r.stderr.trim().split('\n')).toHaveLength(1);
          expect(r.stderr).toContain(f);
        }
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
    }
  }, 30_000);
});
