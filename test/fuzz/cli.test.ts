import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './cli-run.js';
import { plantHandler, restoreHandlers } from './plant.js';

const run = runCli;

afterEach(restoreHandlers);

describe('kreplay fuzz (reference: Command line)', () => {
  it('--json: seed, runs, events, coverage table; exit 0 when nothing fails', async () => {
    const r = await run(['fuzz', '--runs', '25', '--seed', '3', '--max-events', '20', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ seed: 3, runs: 25, failure: null });
    expect(j.coverage.some((row: { op: string; outcome: string }) => row.op === 'fork' && row.outcome === 'ret')).toBe(true);
    // (op, branch) coverage: reached / total per op from the registry, the unreached pairs, none undeclared
    const wait = j.branches.ops.find((row: { op: string }) => row.op === 'wait');
    expect(wait.total).toBe(10);
    expect(wait.reached + wait.unreached.length).toBe(wait.total);
    expect(j.branches.total).toBe(j.branches.ops.reduce((n: number, row: { total: number }) => n + row.total, 0));
    expect(j.branches.unreached.length).toBe(j.branches.total - j.branches.reached);
    expect(j.branches.undeclared).toEqual([]);
  }, 30_000);

  it('prints its seed and plain progress lines when stdout is not a TTY', async () => {
    const r = await run(['fuzz', '--runs', '10', '--max-events', '10']);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/seed 20260101/);
    expect(r.out).toMatch(/fuzz: 10\/10 runs/);
  }, 30_000);

  it('bad flags are bad input (exit 2, one line)', async () => {
    for (const args of [['--shard', '3/2'], ['--runs', 'x'], ['--seed', '1.5'], ['--semantics', 'linux-9']]) {
      const r = await run(['fuzz', ...args]);
      expect(r.status).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });

  it('a planted atomicity bug: exit 1, a shrunk counterexample file that replay and fuzz --replay reproduce', async () => {
    plantHandler('setpgid', (original) => (ctx, ev, caller) => {
      const o = original(ctx, ev, caller);
      if ('err' in o) ctx.s.last++;
      return o;
    });
    const out = join(mkdtempSync(join(tmpdir(), 'kreplay-fuzz-')), 'cx.json');
    const r = await run(['fuzz', '--runs', '300', '--seed', '1', '--max-events', '40', '--out', out]);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/FAIL property atomicity/);
    expect(r.out).toContain(`kreplay replay ${out}`);
    expect(existsSync(out)).toBe(true);
    const trace = JSON.parse(readFileSync(out, 'utf8'));
    expect(trace.note).toMatch(/seed 1/);
    expect(trace.events.length).toBeLessThanOrEqual(10);
    const again = await run(['fuzz', '--replay', out]);
    expect(again.status).toBe(1);
    expect(again.out).toMatch(/atomicity/);
    const replayed = await run(['replay', out]);
    expect(replayed.status).toBe(1);
    expect(replayed.out).toMatch(/violation after event \d+: atomicity: /);
    restoreHandlers();
    const fixed = await run(['fuzz', '--replay', out]);
    expect(fixed.status).toBe(0);
  }, 60_000);

  it('--workers 2 (built dist/) covers what one thread covers', async () => {
    const one = JSON.parse((await run(['fuzz', '--runs', '30', '--seed', '4', '--max-events', '15', '--json'])).out);
    const two = JSON.parse((await run(['fuzz', '--runs', '30', '--seed', '4', '--max-events', '15', '--json', '--workers', '2'])).out);
    expect(two.runs).toBe(one.runs);
    expect(two.events).toBe(one.events);
    expect(two.coverage).toEqual(one.coverage);
  }, 60_000);
});
