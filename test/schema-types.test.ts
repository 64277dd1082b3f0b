import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPS } from '../src/reducer/registry.js';
import { validators } from '../src/trace/schemas.js';

describe('schemas/ are the single source of truth (reference: Traces)', () => {
  it('src/trace/schema-types.ts is what bin/gen-types.mjs generates (run npm run gen:types if not)', async () => {
    const { generate } = (await import('../bin/gen-types.mjs')) as { generate: () => Promise<string> };
    const fresh = await generate();
    expect(readFileSync(new URL('../src/trace/schema-types.ts', import.meta.url), 'utf8')).toBe(fresh);
  });

  it('every op in the event schema is defined in the op registry, and vice versa', () => {
    expect([...validators().ops].sort()).toEqual([...OPS.keys()].sort());
  });
});
