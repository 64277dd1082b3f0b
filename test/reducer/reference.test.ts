import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { opReference } from '../../src/reducer/reference.js';

describe('docs/reference.md is generated from the op registry', () => {
  it('is what opReference() writes (run npm run gen:reference if not), one row per op', () => {
    const text = opReference();
    expect(readFileSync(new URL('../../docs/reference.md', import.meta.url), 'utf8')).toBe(text);
    expect(text).toMatch(/\| `register_subsys` \| task \|.*ESRCH, EBUSY, ENOSPC, EEXIST, ENOENT \/ ESRCH, EBUSY, ENOSPC, EEXIST, ENOENT, ENOSYS/);
  });
});
