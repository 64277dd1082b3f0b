import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import yargs from 'yargs';
import { diffCommand } from '../../src/cli/commands/diff.js';
import { bootKernel } from '../../src/replay/kernel.js';
import { canonicalStateText } from '../../src/state/canonical.js';
import { poseStdout } from '../helpers/stdout.js';

const dir = mkdtempSync(join(tmpdir(), 'kreplay-diff-'));
const file = (name: string, value: unknown): string => {
  const p = join(dir, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
};
const inject = (err: string, count = 1) => ({ op: 'inject', point: 'fork', err, count });
const getpid = (by: number) => ({ op: 'getpid', by });

const t1 = file('t1.json', { kreplay: 1, events: [getpid(1), inject('ENOMEM', 2), getpid(1)] });
const t2 = file('t2.json', { kreplay: 1, events: [getpid(1), inject('ENOMEM', 3), getpid(77)] });
const nd = file('t1.ndjson', [{ kreplay: 1 }, getpid(1), inject('ENOMEM', 2), getpid(1)].map((x) => JSON.stringify(x)).join('\n') + '\n');
const boot09 = file('boot09.state.json', canonicalStateText(bootKernel({}).s, bootKernel({}).v));
const boot06 = file('boot06.state.json', canonicalStateText(bootKernel({}, 'containers-2006').s, bootKernel({}, 'containers-2006').v));

let out = '';
let errOut = '';
let restoreStdout = (): void => undefined;
beforeEach(() => {
  restoreStdout = poseStdout(false);
  out = '';
  errOut = '';
  process.exitCode = 0;
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((errOut += String(s)), true));
});
afterEach(() => {
  restoreStdout();
  vi.restoreAllMocks();
  process.exitCode = 0;
});

async function diff(...argv: string[]): Promise<number> {
  await yargs().command(diffCommand).strict().fail(false).parseAsync(['diff', ...argv]);
  return Number(process.exitCode ?? 0);
}

describe('kreplay diff', () => {
  it('two equal state files: exit 0', async () => {
    expect(await diff(boot09, boot09)).toBe(0);
    expect(out).toContain('states are equal');
  });

  it('two state files of two versions: exit 1, changes grouped by area; --json machine-readable', async () => {
    expect(await diff(boot06, boot09, '--json')).toBe(1);
    const j = JSON.parse(out);
    expect(j.equal).toBe(false);
    expect(j.changes).toContainEqual({ area: 'kernel', path: 'semantics', kind: 'changed', before: 'containers-2006', after: 'cgroups-2009' });
    expect(j.a).toMatchObject({ source: boot06, at: null });
  });

  it('two traces, each replayed: the human diff names the path with before and after, no colour when piped', async () => {
    expect(await diff(t1, t2)).toBe(1);
    expect(out).toContain('~ injections[0].count: 2 → 3');
    expect(out).not.toContain('\u001b[');
  });

  it('the same diff on a colour terminal is coloured', async () => {
    restoreStdout();
    restoreStdout = poseStdout(true);
    expect(await diff(t1, t2)).toBe(1);
    expect(out).toContain('\u001b[');
  });

  it('a trace and a state file can be compared', async () => {
    expect(await diff(t1, boot09, '--json')).toBe(1);
    expect(JSON.parse(out).changes.map((c: { path: string }) => c.path)).toEqual(['injections[0]']);
  });

  it('one trace at two points (--at given twice): a JSON trace and its NDJSON twin', async () => {
    expect(await diff(t1, '--at', '1', '--at', '2', '--json')).toBe(1);
    expect(JSON.parse(out).changes).toEqual([{ area: 'kernel', path: 'injections[0]', kind: 'added', after: { point: 'fork', subsys: null, err: 'ENOMEM', count: 2 } }]);
    out = '';
    process.exitCode = 0;
    expect(await diff(t1, nd, '--json')).toBe(0);
    expect(JSON.parse(out).a.stateHash).toBe(JSON.parse(out).b.stateHash);
  });

  it('one trace under two semantics (--semantics-a/-b)', async () => {
    expect(await diff(t1, '--semantics-a', 'containers-2006', '--semantics-b', 'cgroups-2009', '--json')).toBe(1);
    const j = JSON.parse(out);
    expect([j.a.semantics, j.b.semantics]).toEqual(['containers-2006', 'cgroups-2009']);
  });

  it('--first-divergence --json has exactly the reference: Command line shape', async () => {
    expect(await diff(t1, t2, '--first-divergence', '--json')).toBe(1);
    const j = JSON.parse(out);
    expect(Object.keys(j)).toEqual(['outcome', 'state']);
    expect(Object.keys(j.outcome)).toEqual(['index', 'op', 'a', 'b']);
    expect(j.outcome).toMatchObject({ index: 3, op: 'getpid', b: { err: 'ESRCH' } });
    expect(Object.keys(j.state)).toEqual(['index', 'changes']);
    expect(j.state.index).toBe(2);
  });

  it('--first-divergence on equal traces: nulls and exit 0', async () => {
    expect(await diff(t1, nd, '--first-divergence', '--json')).toBe(0);
    expect(JSON.parse(out)).toEqual({ outcome: null, state: null });
  });

  it('--first-divergence --from ignores earlier divergences', async () => {
    expect(await diff(t1, t2, '--first-divergence', '--from', '3', '--json')).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ outcome: { index: 3 }, state: { index: 3 } });
  });

  it('--first-divergence human output', async () => {
    expect(await diff(t1, t2, '--first-divergence')).toBe(1);
    expect(out).toContain('first outcome divergence: event 3 (getpid)');
    expect(out).toContain('first state divergence: after event 2');
  });

  describe('bad input: exit 2, one line, no stack trace (reference: Traces)', () => {
    const cases: [string, string[], RegExp][] = [
      ['missing file', [join(dir, 'nope.json'), t1], /nope\.json: cannot read file: no such file/],
      ['invalid JSON', [file('bad.json', '{"kreplay": 1,'), t1], /bad\.json:1:\d+: invalid JSON/],
      ['neither trace nor state', [file('x.json', '{"hello": 1}'), t1], /neither a trace/],
      ['a state that fails the schema', [file('s.json', '{"tasks": 3}'), t1], /not a canonical state/],
      ['unknown semantics', [t1, t2, '--semantics-b', 'linux-99'], /unknown semantics "linux-99"/],
      ['--at on a state file', [boot09, t1, '--at', '1'], /state file: --at applies to traces only/],
      ['--at past the end', [t1, t2, '--at', '9'], /has only 3 events/],
      ['--at negative', [t1, t2, '--at', '-1'], /--at: expected an integer >= 0/],
      ['--first-divergence with a state file', [t1, boot09, '--first-divergence'], /needs two traces/],
      ['--from without --first-divergence', [t1, t2, '--from', '2'], /--from: applies to --first-divergence only/],
      ['--at three times', [t1, '--at', '1', '--at', '2', '--at', '3'], /at most twice/],
    ];
    for (const [name, argv, message] of cases) {
      it(name, async () => {
        expect(await diff(...argv)).toBe(2);
        expect(errOut).toMatch(message);
        expect(errOut.trim().split('\n')).toHaveLength(1);
        expect(out).toBe('');
      });
    }
  });
});
