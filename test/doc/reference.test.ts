import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allOpDocs, opMarkdown } from '../../src/doc/ops.js';
import { referenceMarkdown } from '../../src/doc/reference.js';
import { REASONS } from '../../src/reducer/reasons.js';
import { OPS } from '../../src/reducer/registry.js';
import { INVARIANTS } from '../../src/invariants/index.js';

/** Issue 15 item 1: docs/reference.md is generated (npm run gen:reference) and never stale. */
describe('docs/reference.md', () => {
  const text = referenceMarkdown();

  it('is what npm run gen:reference writes from the registry, the schemas and the tables (stale: run it)', () => {
    expect(readFileSync('docs/reference.md', 'utf8')).toBe(text);
  });

  it('has a section for every op of the registry with its errnos per version, every reason code and every invariant', () => {
    for (const d of allOpDocs()) {
      expect(text).toContain(opMarkdown(d));
      expect(d.errnos.flatMap((r) => r.versions).sort()).toEqual(expect.arrayContaining(['cgroups-2009', 'containers-2006']));
    }
    expect(allOpDocs().map((d) => d.name)).toEqual([...OPS.keys()]);
    for (const c of Object.keys(REASONS)) expect(text).toContain(`| \`${c}\` |`);
    for (const i of INVARIANTS) expect(text).toContain(`| \`${i.id}\` |`);
  });

  it('cites only files inside the repository', () => {
    expect(text).not.toMatch(/\.\.\/shared|SPEC\.md/);
  });

  it('gives every op an example from the bundled traces, with its recorded outcome', () => {
    for (const d of allOpDocs()) {
      expect(d.example, d.name).not.toBeNull();
      expect(d.example?.event.op).toBe(d.name);
      expect(d.example?.event.expect).toBeDefined();
    }
  });
});
