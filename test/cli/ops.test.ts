import { describe, expect, it } from 'vitest';
import { opDoc, opMarkdown } from '../../src/doc/ops.js';
import { OPS } from '../../src/reducer/registry.js';
import { kreplay } from './helpers.js';

/** `kreplay ops [op]` (issue 15): the reference's per-op sections, one op or the list. */
describe('kreplay ops', () => {
  it('prints one op as docs/reference.md has it, and every op in the list', () => {
    const one = kreplay('ops', 'setpgid');
    expect(one.status).toBe(0);
    expect(one.stdout).toBe(opMarkdown(opDoc('setpgid')) + '\n');
    expect(one.stdout).toContain('`ESRCH` → `EINVAL` → `EPERM` → `EACCES`');
    const all = kreplay('ops');
    expect(all.stdout.trimEnd().split('\n').map((l) => l.split(' ')[0])).toEqual([...OPS.keys()]);
  });

  it('an unknown op is bad input with a suggestion', () => {
    const r = kreplay('ops', 'forkk');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown op "forkk"; did you mean "fork"?');
  });
});
