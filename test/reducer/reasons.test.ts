import { PIDNS_REASONS } from '../../src/kernel/pidns-reasons.js';
import fc from 'fast-check';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CGROUP_REASONS } from '../../src/cgroup/reasons.js';
import { CLUSTER_REASONS } from '../../src/cluster/reasons.js';
import { caseArb, makeTables, runCase } from '../../src/fuzz/campaign.js';
import { Coverage, outcomeKey } from '../../src/fuzz/coverage.js';
import { requiredPairs } from '../../src/fuzz/coverage-spec.js';
import { KERNEL_REASONS } from '../../src/kernel/reasons.js';
import { isOk, type Outcome, reasonOf } from '../../src/reducer/outcome.js';
import type { ReasonDef } from '../../src/reducer/reason-def.js';
import { CALLER_REASONS, REASONS, type ReasonCode, reasonText } from '../../src/reducer/reasons.js';
import { replayFile } from '../../src/replay/replay.js';
import type { Event } from '../../src/trace/schema-types.js';
import { VPID_REASONS } from '../../src/vpid/reasons.js';
import { NO_PROPERTIES } from '../fuzz/helpers.js';

/**
 * Issue 15 item 2: every errno and blocked outcome carries a reason code with a sentence. The
 * (op, errno) pairs come from the op registry (src/reducer/registry.ts, via requiredPairs); the
 * outcomes from a fixed-seed fuzz campaign and from every bundled trace.
 */

const entries = Object.entries(REASONS) as [ReasonCode, ReasonDef][];

/** Records, per (op, outcome), the reason codes failed and blocked outcomes carried, and those that carried none. */
class ReasonCoverage extends Coverage {
  readonly codes = new Map<string, Set<string>>();
  readonly missing: string[] = [];
  readonly mismatched = new Set<string>();
  override add(ev: Event, o: Outcome): void {
    super.add(ev, o);
    if (isOk(o)) return;
    const key = `${ev.op} ${outcomeKey(o)}`;
    const r = reasonOf(o);
    if (r === null) {
      if (this.missing.length < 20) this.missing.push(`${key} ${JSON.stringify(ev)}`);
      return;
    }
    const declared = (REASONS[r.code] as ReasonDef).outcome;
    if (declared !== 'any' && !declared.split(' or ').includes(outcomeKey(o))) this.mismatched.add(`${key}: ${r.code} explains ${declared}`);
    let set = this.codes.get(key);
    if (set === undefined) this.codes.set(key, (set = new Set()));
    set.add(r.code);
    expect(reasonText(r.code, r.args)).not.toBe('');
  }
}

function campaignReasons(runs: number, faults: boolean): ReasonCoverage {
  const cov = new ReasonCoverage();
  const t = makeTables(faults);
  for (const c of fc.sample(caseArb(t, 60, undefined, false), { numRuns: runs, seed: 2026 })) {
    runCase(t, c, { events: { invariants: false, atomicity: false }, properties: NO_PROPERTIES }, cov);
  }
  return cov;
}

function traceFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? traceFiles(p) : /\.(json|ndjson|jsonl)$/.test(n) ? [p] : [];
  });
}

describe('reasons (issue 15)', () => {
  it('every code has a sentence naming its arguments, and no area defines a code twice', () => {
    const tables = [CALLER_REASONS, KERNEL_REASONS, CLUSTER_REASONS, CGROUP_REASONS, VPID_REASONS, PIDNS_REASONS];
    expect(tables.reduce((n, t) => n + Object.keys(t).length, 0)).toBe(entries.length);
    for (const [code, d] of entries) {
      expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(d.text.length, code).toBeLessThanOrEqual(d.args.length);
      const text = d.text(...d.args.map((a) => `<${a}>`));
      expect(text.length, code).toBeGreaterThan(5);
      for (const a of d.args) expect(text, `${code} names ${a}`).toContain(`<${a}>`);
    }
  });

  it('a fuzz campaign (fixed seed) reaches every (op, errno) pair of the registry, each time with a reason of that errno', () => {
    const plain = campaignReasons(5000, false);
    const faults = campaignReasons(800, true);
    for (const cov of [plain, faults]) {
      expect(cov.missing).toEqual([]);
      expect([...cov.mismatched]).toEqual([]);
    }
    const reached = (op: string, o: string): boolean => plain.codes.has(`${op} ${o}`) || faults.codes.has(`${op} ${o}`);
    const unexplained = requiredPairs(true).filter(([, o]) => o !== 'ret').filter(([op, o]) => !reached(op, o)).map((p) => p.join(' '));
    expect(unexplained).toEqual([]);
    // blocked outcomes too: a stopped caller and a wait with nothing to report
    expect([...plain.codes.entries()].filter(([k]) => k.endsWith(' blocked')).flatMap(([, s]) => [...s])).toEqual(expect.arrayContaining(['caller-stopped', 'wait-nothing']));
  }, 120_000);

  it('every failed or blocked outcome of every bundled trace has a reason', () => {
    const missing: string[] = [];
    for (const path of traceFiles('traces')) {
      replayFile(path, {
        invariants: false,
        onEvent: (i, ev, o) => {
          if (!isOk(o) && reasonOf(o) === null) missing.push(`${path} event ${i} (${ev.op})`);
        },
      });
    }
    expect(missing).toEqual([]);
  }, 60_000);
});
