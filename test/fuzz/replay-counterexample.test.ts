import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CampaignOptions, runCampaign } from '../../src/fuzz/campaign.js';
import { writeCounterexample } from '../../src/fuzz/counterexample.js';
import type { Failure } from '../../src/fuzz/failure.js';
import { err, ok } from '../../src/reducer/outcome.js';
import { VERSIONS } from '../../src/semantics/versions.js';
import { runCli } from './cli-run.js';
import { BUDGET, NO_POSTS, plantHandler, restoreHandlers } from './plant.js';

afterEach(restoreHandlers);

const dir = mkdtempSync(join(tmpdir(), 'kreplay-cx-'));

/**
 * Runs a campaign against the planted bug, writes its counterexample as `kreplay fuzz` does, and
 * replays the file with plain `kreplay replay` (in this process, so the bug is still planted).
 */
async function replayCounterexample(kind: (f: Failure) => boolean, opts: Partial<CampaignOptions> = {}): Promise<{ failure: Failure; status: number; out: string; trace: Record<string, unknown> }> {
  const r = runCampaign({ ...BUDGET, seed: 1, faults: false, versionTraces: false, ...opts });
  expect(r.counterexample, 'the planted bug was not found').not.toBeNull();
  const cx = r.counterexample!;
  expect(kind(cx.failure), `found ${cx.failure.name}: ${cx.failure.message}`).toBe(true);
  const out = join(dir, `${cx.failure.name}.json`);
  writeCounterexample(cx, out);
  const trace = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
  const replayed = await runCli(['replay', out]);
  return { failure: cx.failure, status: replayed.status, out: replayed.out + replayed.err, trace };
}

/** The replay exits 1 and names the check the header names, once, with no escaped JSON. */
function expectNamed(r: { failure: Failure; status: number; out: string; trace: Record<string, unknown> }): void {
  expect(r.trace.check).toBe(r.failure.name);
  expect(r.status, r.out).toBe(1);
  expect(r.out).toContain(r.failure.name);
  expect(r.out).not.toContain('\\"');
}

describe('every counterexample kind the fuzzer writes replays with plain `kreplay replay`: exit 1, naming the check (issue 12 item 4)', () => {
  it('an invariant: a setsid that leaves the pgrp index behind', async () => {
    plantHandler('setsid', (orig) => (ctx, ev, caller) => {
      const o = orig(ctx, ev, caller);
      if ('ret' in o) ctx.s.pgrps.delete(caller.pid);
      return o;
    });
    expectNamed(await replayCounterexample((f) => f.kind === 'invariant'));
  }, 60_000);

  it('a postcondition: wait under WNOHANG that answers ECHILD instead of 0', async () => {
    plantHandler('wait', (orig) => (ctx, ev, caller) => {
      const o = orig(ctx, ev, caller);
      return 'ret' in o && o.ret === 0 ? err('ECHILD', 'injected', 'planted bug') : o;
    });
    const r = await replayCounterexample((f) => f.kind === 'postcondition');
    expectNamed(r);
    expect(r.out).toMatch(/violation after event \d+: post-wait-\w+: /);
  }, 60_000);

  it('a version trace: a cgroups-2009 row that takes the 2006 cpuset mask rule', async () => {
    const row = VERSIONS['cgroups-2009'] as { maskWrite: string };
    const saved = row.maskWrite;
    row.maskWrite = 'intersect-online';
    try {
      const r = await replayCounterexample((f) => f.name === 'version-trace', { versionTraces: true });
      expectNamed(r);
      expect(r.out).toMatch(/divergence at event \d+/);
    } finally {
      row.maskWrite = saved;
    }
  }, 60_000);

  it('a crash: a getsid that throws', async () => {
    plantHandler('getsid', (orig) => (ctx, ev, caller) => {
      if (caller.pid > 1) throw new TypeError('planted');
      return orig(ctx, ev, caller);
    });
    const r = await replayCounterexample((f) => f.kind === 'crash');
    expectNamed(r);
    expect(r.out).toMatch(/crash: (threw )?TypeError: planted/);
  }, 60_000);

  it('atomicity: a failing setpgid that moves the allocator', async () => {
    plantHandler('setpgid', (orig) => (ctx, ev, caller) => {
      const o = orig(ctx, ev, caller);
      if ('err' in o) ctx.s.last++;
      return o;
    });
    const r = await replayCounterexample((f) => f.name === 'atomicity');
    expectNamed(r);
    expect(r.out).toMatch(/violation after event \d+: atomicity: /);
  }, 60_000);

  it('determinism: getppid that fails every second call (a run and its second replay alternate, so they always differ)', async () => {
    let calls = 0;
    plantHandler('getppid', (orig) => (ctx, ev, caller) => (++calls % 2 === 0 ? err('EINVAL', 'injected', 'planted bug') : orig(ctx, ev, caller)));
    const r = await replayCounterexample((f) => f.name === 'determinism' || f.name === 'snapshot', { properties: { 'checkpoint-transparency': false }, ...NO_POSTS });
    expect(r.trace.check).toBe(r.failure.name);
    // the bug is a hidden counter: which of the two replay properties sees it first depends on the call count
    expect(r.status, r.out).toBe(1);
    expect(r.out).toMatch(/violation after event 1: (determinism|snapshot): /);
  }, 60_000);

  it('round trip: getpid that returns a number JSON cannot write', async () => {
    plantHandler('getpid', (orig) => (ctx, ev, caller) => (caller.pid > 1 ? ok(Infinity) : orig(ctx, ev, caller)));
    expectNamed(await replayCounterexample((f) => f.name === 'round-trip', NO_POSTS));
  }, 60_000);

  it('location transparency: getpid that answers differently off node 0', async () => {
    plantHandler('getpid', (orig) => (ctx, ev, caller) => (caller.node !== 0 ? ok(0) : orig(ctx, ev, caller)));
    // cluster nodes exist only in the seed-era versions: a campaign of one of them (linux-6 has none)
    // seed 3, as test/fuzz/bug-handlers.test.ts: seed 1 reaches it only after run 2000
    expectNamed(await replayCounterexample((f) => f.name === 'location-transparency', { runs: 1000, semantics: 'cgroups-2009', ...NO_POSTS, seed: 3 }));
  }, 60_000);

  it('version agreement: exec that fails only in containers-2006', async () => {
    plantHandler('exec', (orig) => (ctx, ev, caller) => (ctx.v.name === 'containers-2006' ? err('EPERM', 'injected', 'planted bug') : orig(ctx, ev, caller)));
    expectNamed(await replayCounterexample((f) => f.name === 'version-agreement', { semantics: 'cgroups-2009' }));
  }, 60_000);

  it('callback order: mkdir that reports its callbacks in reverse', async () => {
    plantHandler('mkdir', (orig) => (ctx, ev, caller) => {
      const o = orig(ctx, ev, caller);
      ctx.calls?.reverse();
      return o;
    });
    expectNamed(await replayCounterexample((f) => f.name === 'callback-order'));
  }, 60_000);

  it('checkpoint transparency: getsid that fails inside a VPS restored from a fuzzer checkpoint; the message prints rows as JSON once', async () => {
    plantHandler('getsid', (orig) => (ctx, ev, caller) => {
      const restored = caller.vps > 0 && caller.vps === Math.max(...ctx.s.vpses.keys()) && [...ctx.s.images.keys()].some((k) => k.startsWith('__fuzz_ckpt'));
      return restored ? err('EPERM', 'injected', 'planted bug') : orig(ctx, ev, caller);
    });
    const r = await replayCounterexample((f) => f.name === 'checkpoint-transparency', { semantics: 'cgroups-2009' });
    expectNamed(r);
    expect(r.out).toMatch(/checkpoint-transparency: VPS \d+ restored as \d+ looks different from inside: row \d+ of \d+ is \[/);
  }, 60_000);
});
