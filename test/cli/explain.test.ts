import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { put, tempDir } from '../trace/helpers.js';
import { jsonLines, kreplay } from './helpers.js';

/**
 * Issue 15 item 2: the reason of a failed or blocked outcome after each divergence, for every
 * event with --explain, as its own field with --json; never in --log's expect (reference: Outcomes: `expect`
 * holds `ret` / `err` / `blocked`) and never in the state hash.
 */
const dir = tempDir();
// fork 2; SIGSTOP stops it; its getppid blocks (reference: Outcomes: a stopped caller cannot run); mkdir on
// a hierarchy that is not mounted is ENOENT (reference: mkdir); global init cannot exit (reference: exit).
const events = [
  { op: 'fork', by: 1, expect: { ret: 2 } },
  { op: 'kill', by: 1, pid: 2, sig: 19, expect: { ret: 0 } },
  { op: 'getppid', by: 2, expect: { ret: 1 } },
  { op: 'mkdir', by: 1, hierarchy: 'cpu', path: '/a', expect: { err: 'ENOENT' } },
  { op: 'exit', by: 1, code: 0 },
];
const trace = put(dir, 'stopped.json', { kreplay: 1, events });

describe('kreplay replay: reasons (issue 15)', () => {
  it('a divergence is followed by the rule and the objects involved', () => {
    const r = kreplay('replay', trace);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('divergence at event 3 (getppid): expected {"ret":1}, got {"blocked":true}\n    because caller 2 is stopped [caller-stopped]');
  });

  it('--explain lists every event, with the reason under each failed or blocked one', () => {
    const lines = kreplay('replay', '--explain', trace).stdout.split('\n');
    const at = (s: string): number => lines.findIndex((l) => l.includes(s));
    expect(lines[at('1 fork by 1: {"ret":2}') + 1]).not.toContain('because');
    expect(lines[at('4 mkdir by 1: {"err":"ENOENT"}') + 1]).toContain('because no hierarchy named cpu is mounted [no-hierarchy]');
    expect(lines[at('5 exit by 1: {"err":"EPERM"}') + 1]).toContain('because global init (pid 1) cannot exit [exit-global-init]');
  });

  it('--json: the reason is a field of its own beside `actual`; --explain adds every event', () => {
    const [o] = jsonLines(kreplay('replay', '--json', '--explain', trace).stdout);
    expect(o?.divergences).toEqual([{ index: 3, op: 'getppid', expected: { ret: 1 }, actual: { blocked: true }, reason: { code: 'caller-stopped', args: [2], text: 'caller 2 is stopped' } }]);
    const explained = o?.explain as { index: number; outcome: unknown; reason?: { code: string } }[];
    expect(explained.map((e) => e.reason?.code ?? null)).toEqual([null, null, 'caller-stopped', 'no-hierarchy', 'exit-global-init']);
    expect(explained[3]?.outcome).toEqual({ err: 'ENOENT' });
  });

  it('--log writes outcomes without reasons, and the hash does not depend on them', () => {
    const log = join(dir, 'log.json');
    const plain = jsonLines(kreplay('replay', '--json', trace).stdout)[0];
    const explained = jsonLines(kreplay('replay', '--json', '--explain', '--log', log, trace).stdout)[0];
    expect(explained?.stateHash).toBe(plain?.stateHash);
    const written = JSON.parse(readFileSync(log, 'utf8')) as { events: { expect: unknown }[] };
    expect(written.events.map((e) => e.expect)).toEqual([{ ret: 2 }, { ret: 0 }, { blocked: true }, { err: 'ENOENT' }, { err: 'EPERM' }]);
    expect(kreplay('replay', log).status).toBe(0);
  });
});
