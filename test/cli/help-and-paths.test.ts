import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, kreplay } from './helpers.js';

const root = join(import.meta.dirname, '..', '..');

describe('--help texts (issue 15)', () => {
  it('variadic trace positionals say [required], not "[default: []]"', () => {
    for (const cmd of ['replay', 'validate']) {
      const r = kreplay(cmd, '--help');
      expect(r.status).toBe(0);
      const line = r.stdout.split('\n').find((l) => l.trimStart().startsWith('trace '));
      expect(line).toMatch(/\[required\]/);
      expect(line).not.toMatch(/default/);
    }
  });

  it('validate --semantics says what it checks (validate replays nothing)', () => {
    const line = kreplay('validate', '--help').stdout.split('\n').find((l) => l.includes('--semantics'));
    expect(line).toMatch(/config/);
    expect(line).not.toMatch(/replay/);
  });

  it('fuzz --semantics names its real default, every version, and --json says "every"', () => {
    const line = kreplay('fuzz', '--help').stdout.split('\n').find((l) => l.includes('--semantics'));
    expect(line).toMatch(/\[every/);
    expect(line).toMatch(/linux-6/);
    const r = kreplay('fuzz', '--runs', '2', '--max-events', '3', '--seed', '5', '--json');
    expect(r.status).toBe(0);
    expect(jsonLines(r.stdout)[0]?.semantics).toBe('every');
  });
});

describe('diff --first-divergence across versions (issue 15)', () => {
  it('"outcomes: no divergence" across two versions exits 0: their states differ from boot by construction', () => {
    const r = kreplay('diff', '--first-divergence', '--semantics-a', 'containers-2006', '--semantics-b', 'cgroups-2009', 'traces/io/replay-basics.json');
    expect(r.stdout).toContain('outcomes: no divergence');
    expect(r.stdout).toContain('first state divergence: the boot states');
    expect(r.status).toBe(0);
  });

  it('an outcome divergence across versions still exits 1 (traces/versions/register-subsys.json)', () => {
    const r = kreplay('diff', '--first-divergence', '--semantics-a', 'containers-2006', '--semantics-b', 'cgroups-2009', 'traces/versions/register-subsys.json');
    expect(r.stdout).toMatch(/first outcome divergence: event \d+/);
    expect(r.status).toBe(1);
  });

  it('diff of two states that differ exits 1, equal states 0', () => {
    expect(kreplay('diff', 'traces/io/replay-basics.json', '--at', '5', '--at', '6').status).toBe(1);
    expect(kreplay('diff', 'traces/io/replay-basics.json', '--at', '5', '--at', '5').status).toBe(0);
  });
});

describe('directories with symbolic links (issue 15)', () => {
  it('a linked trace and a linked directory are replayed as if there; a link loop is searched once; a dangling link is reported, not skipped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kreplay-links-'));
    mkdirSync(join(dir, 'sub'));
    symlinkSync(join(root, 'traces', 'io', 'replay-basics.json'), join(dir, 'linked.json'));
    symlinkSync(join(root, 'traces', 'cluster-dir-does-not-matter'), join(dir, 'sub', 'dangling.json'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'kreplay-links-target-'));
    writeFileSync(join(elsewhere, 'own.json'), JSON.stringify({ kreplay: 1, events: [{ op: 'getpid', by: 1, expect: { ret: 1 } }] }));
    symlinkSync(elsewhere, join(dir, 'sub', 'via-link'));
    symlinkSync(dir, join(dir, 'sub', 'loop'));
    const r = kreplay('replay', '--json', dir);
    const traces = jsonLines(r.stdout).map((o) => o.trace);
    expect(traces).toEqual([join(dir, 'linked.json'), join(dir, 'sub', 'via-link', 'own.json')]);
    expect(r.stderr).toContain(join(dir, 'sub', 'dangling.json'));
    expect(r.status).toBe(2);
  });
});
