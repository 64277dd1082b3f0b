import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { opTable } from '../../src/reducer/reference.js';

describe('docs/reference.md is generated from the op registry', () => {
  it('holds the op table opTable() writes (run npm run gen:reference if not), one row per op', () => {
    const text = opTable();
    expect(readFileSync(new URL('../../docs/reference.md', import.meta.url), 'utf8')).toContain(text);
    expect(text).toMatch(/\| \[`register_subsys`\]\(#register_subsys\) \| task \|.*ESRCH, EBUSY, ENOSPC, EEXIST, ENOENT \/ ESRCH, EBUSY, ENOSPC, EEXIST, ENOENT, ENOSYS/);
  });
});
