import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayFile } from '../../src/replay/replay.js';

const dir = join(import.meta.dirname, '../../traces/process');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('traces/process replay with zero divergences and zero violations (reference: Command line)', () => {
  it('has traces', () => expect(files.length).toBeGreaterThanOrEqual(10));
  for (const f of files) {
    it(f, () => {
      const r = replayFile(join(dir, f), { keepOutcomes: true });
      expect(r.divergences).toEqual([]);
      expect(r.violations).toEqual([]);
      expect(r.events).toBeGreaterThan(0);
    });
  }
});
