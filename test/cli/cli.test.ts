import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { put, tempDir } from '../trace/helpers.js';
import { jsonLines, kreplay } from './helpers.js';

const dir = tempDir();
const ghost = (by: number, expect: unknown) => ({ op: 'getpid', by, expect });
/** Traces that need nothing of the model but the caller check (reference: Outcomes: no such task → ESRCH). */
const good = put(dir, 'good.json', { kreplay: 1, events: [ghost(50, { err: 'ESRCH' }), ghost(51, { err: 'ESRCH' })] });
const diverging = put(dir, 'diverging.json', { kreplay: 1, events: [ghost(50, { err: 'ESRCH' }), ghost(51, { ret: 51 })] });
const ndjson = put(dir, 'stream.ndjson', '{"kreplay":1,"semantics":"containers-2006"}\n' + JSON.stringify(ghost(7, { err: 'ESRCH' })) + '\n');

describe('kreplay replay: exit statuses (reference: Command line)', () => {
  it('0 when every expect matches and no invariant is violated', () => {
    const r = kreplay('replay', good);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('good.json');
    expect(r.stdout).toMatch(/2 events under cgroups-2009: 0 ret, 2 err, 0 blocked/);
    expect(r.stdout).toMatch(/state sha256:[0-9a-f]{64}/);
  });

  it('1 on a divergence, and the human output names it, uncoloured in a pipe even with CI set', () => {
    const r = kreplay('replay', diverging);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('divergence at event 2 (getpid): expected {"ret":51}, got {"err":"ESRCH"}');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('2 on bad input: one line on stderr, never a stack trace', () => {
    const typo = put(dir, 'typo.json', { kreplay: 1, events: [{ op: 'forkk', by: 1 }] });
    const cases: [string[], RegExp][] = [
      [['replay', typo], /typo\.json event 1 \(\/events\/0\/op\): unknown op "forkk"; did you mean "fork"\?/],
      [['replay', join(dir, 'missing.json')], /missing\.json: cannot read file: no such file/],
      [['replay', put(dir, 'broken.json', '{"kreplay": 1,\n"events": [}')], /broken\.json:2:12: invalid JSON/],
      [['replay', '--semantics', 'linux-9', good], /--semantics: unknown semantics "linux-9"/],
      [['replay', '--at', 'x', good], /--at: expected an integer >= 0, got "x"/],
      [['replay', '--at', '-1', good], /--at: expected an integer >= 0/],
      [['replay', good, '--frobnicate'], /Unknown argument: frobnicate/],
      [['replay'], /Not enough non-option arguments/],
      [['replayy', good], /Did you mean replay|Unknown argument/],
      [[], /name a command/],
      [['replay', '--log', join(dir, 'x.json'), good, diverging], /--log: needs exactly one trace, got 2/],
      [['replay', put(dir, 'empty-dir-marker.txt', '')], /cannot|invalid JSON/],
    ];
    for (const [args, message] of cases) {
      const r = kreplay(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('many traces: the worst status wins, and the good ones are still reported', () => {
    const r = kreplay('replay', '--json', good, join(dir, 'missing.json'), diverging);
    expect(r.status).toBe(2);
    expect(jsonLines(r.stdout).map((o) => o.trace)).toEqual([good, diverging]);
    const human = kreplay('replay', good, diverging);
    expect(human.status).toBe(1);
    expect(human.stdout.trimEnd().split('\n').at(-1)).toBe('2 traces: 1 ok, 1 with divergences or violations');
  });
});

describe('kreplay replay --json (reference: Command line)', () => {
  it('one object per trace per line, exactly the fields of the reference', () => {
    const r = kreplay('replay', '--json', good, diverging, ndjson);
    expect(r.status).toBe(1);
    const [a, b, c] = jsonLines(r.stdout);
    for (const o of [a, b, c]) {
      expect(Object.keys(o as object)).toEqual(['trace', 'semantics', 'events', 'outcomes', 'divergences', 'violations', 'stateHash']);
    }
    expect(a).toMatchObject({ trace: good, semantics: 'cgroups-2009', events: 2, outcomes: { ret: 0, err: 2, blocked: 0 }, divergences: [], violations: [] });
    expect(a?.stateHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b?.divergences).toEqual([{ index: 2, op: 'getpid', expected: { ret: 51 }, actual: { err: 'ESRCH' }, reason: { code: 'caller-missing', args: [51], text: 'no task has pid 51' } }]);
    expect(c).toMatchObject({ trace: ndjson, semantics: 'containers-2006', events: 1 });
  });

  it('--semantics overrides the header; --at stops after event N', () => {
    const [o] = jsonLines(kreplay('replay', '--json', '--semantics', 'containers-2006', '--at', '1', diverging).stdout);
    expect(o).toMatchObject({ semantics: 'containers-2006', events: 1, divergences: [] });
    const [boot] = jsonLines(kreplay('replay', '--json', '--at', '0', diverging).stdout);
    expect(boot).toMatchObject({ events: 0, outcomes: { ret: 0, err: 0, blocked: 0 } });
  });

  it('a directory replays every trace under it, recursively and sorted', () => {
    const sub = tempDir();
    put(sub, 'b.json', { kreplay: 1, events: [ghost(5, { err: 'ESRCH' })] });
    put(sub, 'a.ndjson', '{"kreplay":1}\n');
    put(sub, 'notes.txt', 'not a trace');
    const r = kreplay('replay', '--json', sub);
    expect(r.status).toBe(0);
    expect(jsonLines(r.stdout).map((o) => String(o.trace).slice(sub.length + 1))).toEqual(['a.ndjson', 'b.json']);
  });
});

describe('kreplay replay --log and --state-out', () => {
  it('--log writes events with their actual outcomes as expect: it replays with zero divergences (reference: Invariants and postconditions round trip)', () => {
    for (const name of ['log.json', 'log.ndjson']) {
      const log = join(dir, name);
      expect(kreplay('replay', '--log', log, diverging).status).toBe(1);
      const back = kreplay('replay', '--json', log);
      expect(back.status).toBe(0);
      const [o] = jsonLines(back.stdout);
      expect(o).toMatchObject({ events: 2, divergences: [], violations: [] });
    }
    const logged = JSON.parse(readFileSync(join(dir, 'log.json'), 'utf8')) as { semantics: string; events: unknown[] };
    expect(logged.semantics).toBe('cgroups-2009');
    expect(logged.events[1]).toEqual(ghost(51, { err: 'ESRCH' }));
  });

  it('--log records the semantics actually replayed and stops at --at', () => {
    const log = join(dir, 'at.json');
    kreplay('replay', '--semantics', 'containers-2006', '--at', '1', '--log', log, diverging);
    const logged = JSON.parse(readFileSync(log, 'utf8')) as { semantics: string; events: unknown[] };
    expect(logged.semantics).toBe('containers-2006');
    expect(logged.events).toHaveLength(1);
  });

  it('--state-out writes the canonical state whose hash replay prints', async () => {
    const out = join(dir, 'state.json');
    const [o] = jsonLines(kreplay('replay', '--json', '--state-out', out, good).stdout);
    const text = readFileSync(out, 'utf8');
    const { hashText } = await import('../../src/state/canonical.js');
    expect(hashText(text.trimEnd())).toBe(o?.stateHash);
    expect(JSON.parse(text)).toMatchObject({ semantics: 'cgroups-2009' });
  });

  it('--no-invariants still replays and compares expect', () => {
    expect(kreplay('replay', '--no-invariants', diverging).status).toBe(1);
    expect(kreplay('replay', '--no-invariants', good).status).toBe(0);
  });
});

describe('kreplay validate and invariants', () => {
  it('validate: 0 for well-formed traces, 2 with the located error otherwise', () => {
    const ok = kreplay('validate', good, ndjson);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('valid (2 events, cgroups-2009)');
    const bad = put(dir, 'bad-field.json', { kreplay: 1, events: [{ op: 'fork', by: 1, pdi: 3 }] });
    const r = kreplay('validate', '--json', good, bad);
    expect(r.status).toBe(2);
    expect(jsonLines(r.stdout)).toEqual([
      { trace: good, valid: true, semantics: 'cgroups-2009', events: 2 },
      { trace: bad, valid: false, error: `${bad} event 1 (/events/0/pdi): unknown field "pdi" for fork; did you mean "pid"?` },
    ]);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('invariants lists id and description; --json as an array', () => {
    const r = kreplay('invariants', '--json');
    expect(r.status).toBe(0);
    const list = JSON.parse(r.stdout) as { id: string; description: string }[];
    for (const inv of list) expect(Object.keys(inv)).toEqual(['id', 'description']);
    const human = kreplay('invariants');
    for (const inv of list) expect(human.stdout).toContain(inv.id);
  });

  it('--help and --version exit 0', () => {
    expect(kreplay('--help').stdout).toContain('replay <trace...>');
    expect(kreplay('--version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
