import { readdirSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { replayFile } from '../../src/replay/replay.js';
import { showState } from '../../src/show/load.js';
import { canonicalStateText } from '../../src/state/canonical.js';
import { formatShow } from '../../src/show/text.js';
import { jsonLines, kreplay } from '../cli/helpers.js';

const root = join(import.meta.dirname, '..', '..');
const trace = (p: string): string => join(root, 'traces', p);
const ESC = '\u001b[';

function allTraces(dir = join(root, 'traces')): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allTraces(p) : n.endsWith('.json') ? [p] : [];
  });
}

describe('the state view (issue 15 kreplay show)', () => {
  it('seed 004 linear vpids: the VPS init is vpid 1, its child pid 3 is vpid 3 + VPID_DIV = 1027 (traces/cgroup/2009-vps-view.json)', () => {
    const { view, event, at } = showState(trace('cgroup/2009-vps-view.json'));
    expect(at).toBe(13);
    expect(event).toMatchObject({ index: 13, op: 'read', by: 1, outcome: { ret: '2\n3\n' }, diverged: false });
    expect(view.roots).toEqual([1]);
    expect(view.processes.map((p) => [p.pid, p.parent, p.vps, p.vpid])).toEqual([[1, 0, 0, null], [2, 1, 101, 1], [3, 2, 101, 1027]]);
    expect(view.vpses).toEqual([{ id: 101, init: 2, mode: 'linear', map: [{ vpid: 1, pid: 2 }, { vpid: 1027, pid: 3 }] }]);
    const cs = view.hierarchies.find((h) => h.name === 'cs');
    expect(cs?.subsystems).toEqual(['cpuset']);
    expect(cs?.cgroups.map((c) => [c.path, c.tasks])).toEqual([['/', [1]], ['/v', [2, 3]]]);
    expect(cs?.cgroups[1]?.settings).toEqual([['cpuset.cpus', '0'], ['cpuset.mems', '0']]);
    expect(view.unbound).toEqual(['debug']);
  });

  it('seed 004 switch_to_sparse_mapping: vpids come from the hash, the reaped leader 3 still maps 1027 (traces/vpid/sparse-switch.json)', () => {
    const { view } = showState(trace('vpid/sparse-switch.json'));
    const vps = view.vpses[0];
    expect(vps?.mode).toBe('sparse');
    expect(vps?.map).toContainEqual({ vpid: 1027, pid: 3 });
    expect(view.processes.find((p) => p.pid === 5)?.vpid).toBe(2000);
    expect(view.processes.find((p) => p.pid === 8)?.vpid).toBe(1032);
  });

  it('--at N shows the state after event N and that event; a diverging event says so', () => {
    const s = showState(trace('io/replay-basics.json'), { at: 2 });
    expect(s.at).toBe(2);
    expect(s.view.processes.map((p) => p.pid)).toEqual([1, 2]);
    expect(s.event?.index).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), 'kreplay-show-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ kreplay: 1, events: [{ op: 'fork', by: 1, expect: { ret: 9 } }] }));
    const b = showState(broken, { at: 1 });
    expect(b.event).toMatchObject({ diverged: true, expected: { ret: 9 }, outcome: { ret: 2 } });
    expect(formatShow(b.view, b, pc.createColors(false))).toContain('divergence: expected {"ret":9}');
  });

  it('process tree text: children under their parent with tree lines; zombies show how they died (traces/process/exit-reparent.json)', () => {
    const s = showState(trace('process/exit-reparent.json'));
    const text = formatShow(s.view, s, pc.createColors(false));
    expect(text).not.toContain(ESC);
    expect(text).toMatch(/^processes \(\d+\)$/m);
    expect(text).toMatch(/^ {2}1 {2}running {2}pgrp 1 session 1/m);
    expect(text).toMatch(/[├└]─ \d+ /);
    expect(formatShow(s.view, s, pc.createColors(true))).toContain(ESC);
  });
});

describe('kreplay show (CLI)', () => {
  it('works on every bundled trace (in-process, the library the command is thin over)', () => {
    for (const t of allTraces()) {
      const s = showState(t);
      expect(s.stateHash, t).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(formatShow(s.view, s, pc.createColors(false)), t).toContain('processes (');
      expect(JSON.parse(JSON.stringify(s.view))).toEqual(s.view);
    }
  });

  it('plain when piped, one JSON object with --json', () => {
    const t = trace('vpid/vps-lifecycle.json');
    const r = kreplay('show', t);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain(ESC);
    expect(r.stdout).toContain('processes (');
    const o = jsonLines(kreplay('show', '--json', '--at', '3', t).stdout)[0] as Record<string, unknown>;
    expect(Object.keys(o)).toEqual(['source', 'at', 'semantics', 'stateHash', 'event', 'view']);
    expect(o.at).toBe(3);
  });

  it('shows a state file (replay --state-out) with the same hash; --at on a state file is bad input, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kreplay-show-'));
    const state = join(dir, 's.json');
    const t = trace('cgroup/2009-css-sets-files.json');
    const r = replayFile(t, { invariants: false });
    writeFileSync(state, canonicalStateText(r.kernel.s, r.kernel.v) + '\n');
    const fromTrace = showState(t);
    const fromState = showState(state);
    expect(fromState.stateHash).toBe(fromTrace.stateHash);
    expect(fromState.view).toEqual(fromTrace.view);
    expect(fromState.at).toBeNull();
    const bad = kreplay('show', state, '--at', '1');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--at applies to traces only/);
    expect(() => showState(t, { at: 999 })).toThrow(/has only \d+ events/);
  });
});
