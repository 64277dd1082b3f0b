import { chmodSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { plantHandler, restoreHandlers } from '../fuzz/plant.js';
import { cli, digest, ndjsonTrace, oneLine, root, spawnCli, startCli, tmp } from './helpers.js';
import { nobodyCannotRun } from '../helpers/nobody.js';

const NOBODY = nobodyCannotRun();

/**
 * Issue 14's table: every row, as it was tried by a hostile user, now gives exit 2 with one line
 * (rows 14-15: the kernel's errno), leaves every input as it was, and stays under 512 MiB.
 */
const MiB512 = 512 * 1024;
const basics = join(root, 'traces', 'io', 'replay-basics.json');

afterEach(restoreHandlers);

describe('issue 14: output files never lose data', () => {
  it('row 1: replay big.ndjson --log big.ndjson refuses before any work; the input is unchanged', async () => {
    const d = tmp();
    const big = join(d, 'big.ndjson');
    writeFileSync(big, ndjsonTrace(20_000));
    const before = digest(big);
    const r = await cli(['replay', big, '--log', big]);
    expect(r.status).toBe(2);
    expect(oneLine(r.err)).toBe(true);
    expect(r.err).toContain(`--log ${big}: is the input ${big}: kreplay never overwrites its input`);
    expect(r.out).toBe('');
    expect(digest(big)).toBe(before);
  });

  it('row 2: --state-out or --log naming the input (or a hard link to it) is refused; the input is unchanged', async () => {
    const d = tmp();
    const t = join(d, 'T.json');
    writeFileSync(t, readFileSync(basics));
    const link = join(d, 'link.json');
    linkSync(t, link);
    const before = digest(t);
    for (const flag of ['--state-out', '--log']) {
      for (const target of [t, link, join(d, '.', 'T.json')]) {
        const r = await cli(['replay', t, flag, target]);
        expect(r.status).toBe(2);
        expect(oneLine(r.err)).toBe(true);
        expect(r.err).toMatch(/is the input .*T\.json: kreplay never overwrites its input/);
      }
    }
    expect(digest(t)).toBe(before);
    const both = await cli(['replay', t, '--log', join(d, 'x.json'), '--state-out', join(d, 'x.json')]);
    expect(both.status).toBe(2);
    expect(both.err).toContain('is also another output of this command');
  });

  it('row 3: a bad line after many good ones leaves --log as it was (no partial log, no temporary file)', async () => {
    const d = tmp();
    const t = join(d, 't.ndjson');
    writeFileSync(t, ndjsonTrace(50_000, '{"op":"getpid","by":'));
    const log = join(d, 'L.ndjson');
    writeFileSync(log, 'the previous log\n');
    const r = await cli(['replay', t, '--log', log]);
    expect(r.status).toBe(2);
    expect(r.err).toBe(`kreplay: ${t}:50002:21: invalid JSON: unexpected end of input, expected a JSON value\n`);
    expect(readFileSync(log, 'utf8')).toBe('the previous log\n');
    expect(readdirSync(d).sort()).toEqual(['L.ndjson', 't.ndjson']);
    // Without a previous file, no file at all.
    const fresh = join(d, 'fresh.json');
    expect((await cli(['replay', t, '--log', fresh])).status).toBe(2);
    expect(existsSync(fresh)).toBe(false);
  });

  it('row 3: SIGINT in the middle of a replay leaves --log as it was', async () => {
    const d = tmp();
    const t = join(d, 't.ndjson');
    writeFileSync(t, ndjsonTrace(1_000_000));
    const log = join(d, 'L.json');
    writeFileSync(log, '{"kreplay":1,"events":[]}\n');
    const before = digest(log);
    const p = startCli(['replay', t, '--log', log]);
    // Wait until the log is being written beside its target, then interrupt.
    const t0 = Date.now();
    while (!readdirSync(d).some((f) => f.endsWith('.tmp')) && Date.now() - t0 < 60_000) await new Promise((res) => setTimeout(res, 50));
    p.kill('SIGINT');
    const r = await p.done;
    expect(r.status).not.toBe(0);
    expect(digest(log)).toBe(before);
  }, 90_000);

  it('row 4: --state-out/--log into a missing folder, a file as folder, a directory, an empty name, /dev/full: exit 2 before any work', async () => {
    const d = tmp();
    writeFileSync(join(d, 'file'), 'x');
    mkdirSync(join(d, 'dir'));
    const cases: [string, string, string][] = [
      ['--state-out', join(d, 'missing', 's.json'), `folder ${join(d, 'missing')} does not exist`],
      ['--state-out', join(d, 'file', 's.json'), `${join(d, 'file')} is not a folder`],
      ['--state-out', join(d, 'dir'), 'cannot write file: is a directory'],
      ['--state-out', '', "--state-out '': empty file name"],
      ['--state-out', '/dev/full', '--state-out /dev/full: cannot write file: not a regular file'],
      ['--log', '/dev/full', '--log /dev/full: cannot write file: not a regular file'],
      ['--log', join(d, 'missing', 'x.json'), 'does not exist'],
    ];
    for (const [flag, target, message] of cases) {
      const r = await cli(['replay', basics, '--json', flag, target]);
      expect(r.status).toBe(2);
      expect(oneLine(r.err)).toBe(true);
      expect(r.err).toContain(message);
      expect(r.out).toBe(''); // checked before the replay: nothing is lost, nothing was done
    }
    expect(readFileSync(join(d, 'file'), 'utf8')).toBe('x');
  });

  it.skipIf(NOBODY !== null)('row 4: an unwritable folder is refused up front (as a user without write permission)', async () => {
    const d = tmp();
    const ro = join(d, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    chmodSync(d, 0o755);
    // root may write anywhere: run as nobody when we are root.
    const asNobody = process.getuid?.() === 0 ? `setpriv --reuid=65534 --regid=65534 --clear-groups ` : '';
    const r = await spawnCli([], { shell: `${asNobody}node bin/kreplay replay traces/io/replay-basics.json --state-out ${ro}/s.json` });
    expect(r.status).toBe(2);
    expect(r.err).toContain(`folder ${ro} is not writable`);
  });

  it('row 11: two replays at once with one --log: the log is whole, from one run or the other', async () => {
    const d = tmp();
    const a = join(d, 'a.ndjson');
    const b = join(d, 'b.ndjson');
    writeFileSync(a, ndjsonTrace(50_000));
    writeFileSync(b, ndjsonTrace(50_000).replace(/"by":1/g, '"by":2'));
    const log = join(d, 'log.ndjson');
    const [ra, rb] = await Promise.all([startCli(['replay', a, '--log', log]).done, startCli(['replay', b, '--log', log]).done]);
    expect([ra.status, rb.status]).toEqual([0, 0]);
    const text = readFileSync(log, 'utf8');
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(50_001);
    const by = new Set(lines.slice(1).map((l) => (JSON.parse(l) as { by: number }).by));
    expect(by.size).toBe(1); // never a mix of both runs
    const again = await cli(['replay', log]);
    expect(again.status).toBe(0);
  }, 120_000);

  it('row 12: fuzz --out unwritable is refused before the campaign; a write error at the end comes after the failure is printed', async () => {
    const early = await cli(['fuzz', '--runs', '5', '--out', '/nonexistent-kreplay/cx.json']);
    expect(early.status).toBe(2);
    expect(early.err).toBe('kreplay: --out /nonexistent-kreplay/cx.json: cannot write file: folder /nonexistent-kreplay does not exist\n');
    // A failure found, then the folder of --out vanishes before the counterexample is written.
    const d = tmp();
    const out = join(d, 'gone', 'cx.json');
    mkdirSync(join(d, 'gone'));
    plantHandler('setpgid', (original) => (ctx, ev, caller) => {
      rmSync(join(d, 'gone'), { recursive: true, force: true });
      const o = original(ctx, ev, caller);
      if ('err' in o) ctx.s.last++;
      return o;
    });
    const r = await cli(['fuzz', '--runs', '300', '--seed', '1', '--max-events', '40', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.out).toMatch(/FAIL /);
    expect(r.err).toMatch(/cx\.json: cannot write file: /);
    expect(oneLine(r.err)).toBe(true);
  }, 60_000);
});

describe('issue 14: hostile input never crashes or exhausts memory', () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);

  it('row 5: 100,000 nested [ in .json or .ndjson: exit 2, one line, for replay, validate and diff', async () => {
    const d = tmp();
    for (const name of ['deep.json', 'deep.ndjson']) {
      const p = join(d, name);
      writeFileSync(p, deep);
      for (const cmd of ['replay', 'validate', 'diff']) {
        const r = await cli([cmd, p]);
        expect(r.status).toBe(2);
        expect(oneLine(r.err)).toBe(true);
        expect(r.err).toMatch(new RegExp(`${name}:1:65 \\(/0/0/0.*…? ?.*\\): nested deeper than 64 levels; no kreplay input nests so deep`));
      }
    }
  });

  it('row 6: expect.ret nested 5,000 or 3,000 deep is bad input for validate and replay; a long divergence is cut', async () => {
    const nested = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    for (const n of [5000, 3000]) {
      const text = `{"kreplay":1,"events":[{"op":"getpid","by":1,"expect":{"ret":${nested(n)}}}]}`;
      for (const cmd of ['validate', 'replay']) {
        const r = await cli([cmd, '-'], text);
        expect(r.status).toBe(2);
        expect(oneLine(r.err)).toBe(true);
        expect(r.err).toContain('nested deeper than 64 levels');
      }
    }
    const wide = `{"kreplay":1,"events":[{"op":"getpid","by":1,"expect":{"ret":{"a":"${'x'.repeat(30_000)}"}}}]}`;
    const r = await cli(['replay', '-'], wide);
    expect(r.status).toBe(1);
    const line = r.out.split('\n').find((l) => l.includes('divergence at event 1')) as string;
    expect(line.length).toBeLessThan(400);
    expect(line).toContain('… (30016 characters)');
  });

  it('row 7: replay /dev/zero and /dev/urandom are refused at once; a pipe of zeros stops at the size limit under 512 MiB', async () => {
    for (const dev of ['/dev/zero', '/dev/urandom']) {
      const r = await spawnCli(['replay', dev]);
      expect(r.status).toBe(2);
      expect(r.err).toBe(`kreplay: ${dev}: cannot read file: a character device; kreplay reads regular files, pipes and - (standard input)\n`);
      expect(r.rssKiB).toBeLessThan(MiB512);
    }
    for (const src of ['/dev/zero', '/dev/urandom']) {
      const r = await spawnCli([], { shell: `head -c 100000000 ${src} 2>/dev/null | node bin/kreplay replay -` });
      expect(r.status).toBe(2);
      expect(oneLine(r.err)).toBe(true);
      expect(r.err).toMatch(/kreplay: -(:1:1)?: (larger than 64M bytes, the limit for a JSON file \(--max-json-bytes raises it|invalid)/);
      expect(r.rssKiB).toBeLessThan(MiB512);
    }
  }, 120_000);

  it('row 8: one NDJSON line of 25 MB: exit 2 with the --max-line-bytes hint; with the limit raised it replays under 512 MiB', async () => {
    const d = tmp();
    const p = join(d, 'long.ndjson');
    writeFileSync(p, `{"kreplay":1}\n{"op":"getpid","by":1,"note":"${'x'.repeat(25 << 20)}"}\n`);
    const refused = await spawnCli(['replay', p]);
    expect(refused.status).toBe(2);
    expect(refused.err).toBe(`kreplay: ${p}:2: line longer than 16M bytes (--max-line-bytes raises the limit)\n`);
    const raised = await spawnCli(['replay', p, '--max-line-bytes', '32M']);
    expect(raised.status).toBe(0);
    expect(raised.rssKiB).toBeLessThan(MiB512);
    const json = await spawnCli(['validate', join(root, 'traces', 'io', 'replay-basics.json'), '--max-json-bytes', '100']);
    expect(json.status).toBe(2);
    expect(json.err).toContain('larger than 100 bytes, the limit for a JSON file (--max-json-bytes raises it');
  }, 120_000);

  it('row 9: fuzz --max-events past its bound is bad input, not an out-of-memory', async () => {
    const r = await cli(['fuzz', '--runs', '2', '--max-events', '100000000']);
    expect(r.status).toBe(2);
    expect(r.err).toBe('kreplay: --max-events: at most 10000, got 100000000\n');
    const runs = await cli(['fuzz', '--runs', '99999999999']);
    expect(runs.status).toBe(2);
    expect(runs.err).toBe('kreplay: --runs: at most 1000000000, got 99999999999\n');
  });

  it('row 10: - is standard input for replay, validate and diff, JSON or NDJSON', async () => {
    const json = readFileSync(basics, 'utf8');
    const nd = ndjsonTrace(3);
    const v = await cli(['validate', '-'], json);
    expect([v.status, v.out]).toEqual([0, '-: valid (9 events, cgroups-2009)\n']);
    const vn = await cli(['validate', '-'], nd);
    expect([vn.status, vn.out]).toEqual([0, '-: valid (3 events, cgroups-2009)\n']);
    const r = await cli(['replay', '-', '--json'], nd);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ trace: '-', events: 3 });
    const df = await cli(['diff', '-', basics], json);
    expect([df.status, df.err]).toEqual([0, '']);
    const both = await cli(['diff', '-', '--at', '0', '--at', '1', '--json'], nd);
    expect(both.status).toBe(0);
    const empty = await cli(['validate', '-'], '');
    expect(empty.status).toBe(2);
    expect(empty.err).toBe('kreplay: -:1:1: invalid JSON: unexpected end of input, expected a JSON value\n');
    // A terminal or device as standard input is refused, not waited on.
    const tty = await spawnCli([], { shell: 'node bin/kreplay validate - < /dev/zero' });
    expect(tty.status).toBe(2);
    expect(tty.err).toContain('standard input: cannot read file: a terminal or device');
  });

  it('row 13: a duplicate key is a schema error with its JSON path; invalid UTF-8 is exit 2', async () => {
    const dup = await cli(['validate', '-'], '{"kreplay":1,"events":[{"op":"getpid","by":1,"by":2}]}');
    expect(dup.status).toBe(2);
    expect(dup.err).toBe('kreplay: -:1:46 (/events/0/by): duplicate key "by": JSON keeps only one of them\n');
    const nd = await cli(['replay', '-'], '{"kreplay":1}\n{"op":"mkdir","by":1,"path":"/a","path":"/b"}\n');
    expect(nd.err).toBe('kreplay: -:2:34 (/path): duplicate key "path": JSON keeps only one of them\n');
    const bytes = Buffer.concat([Buffer.from('{"kreplay":1}\n{"op":"mkdir","by":1,"path":"/a'), Buffer.from([0xff]), Buffer.from('"}\n')]);
    const utf = await cli(['replay', '-'], bytes);
    expect(utf.status).toBe(2);
    expect(utf.err).toBe('kreplay: -:2:32: invalid UTF-8 (byte 0xff at byte 32): kreplay reads UTF-8 text only\n');
  });

  it('row 14: inject with an unknown errno or subsystem is bad input with a did-you-mean', async () => {
    const err = await cli(['validate', '-'], '{"kreplay":1,"events":[{"op":"inject","point":"fork","err":"ENOMEN"}]}');
    expect(err.status).toBe(2);
    expect(err.err).toMatch(/^kreplay: - event 1 \(\/events\/0\/err\): expected one of .*"ENOMEM".*, got "ENOMEN"; did you mean "ENOMEM"\?\n$/);
    const sub = await cli(['validate', '-'], '{"kreplay":1,"events":[{"op":"inject","point":"create","subsys":"cpusett","err":"ENOMEM"}]}');
    expect(sub.status).toBe(2);
    expect(sub.err).toMatch(/\(\/events\/0\/subsys\): expected one of "cpuset", "net_cls", "debug", "faulty", got "cpusett"; did you mean "cpuset"\?\n$/);
  });

  it('row 16: a state file with a duplicate pid is bad input before diff', async () => {
    const d = tmp();
    const s = join(d, 's.json');
    expect((await cli(['replay', join(root, 'traces', 'process', 'orphan-pgrp.json'), '--state-out', s])).status).toBeLessThan(2);
    const state = JSON.parse(readFileSync(s, 'utf8')) as { tasks: { pid: number }[] };
    expect(state.tasks.length).toBeGreaterThan(1);
    (state.tasks[1] as { pid: number }).pid = (state.tasks[0] as { pid: number }).pid;
    const bad = join(d, 'bad.json');
    writeFileSync(bad, JSON.stringify(state));
    const r = await cli(['diff', s, bad]);
    expect(r.status).toBe(2);
    expect(r.err).toBe(`kreplay: ${bad} (/tasks/1/pid): not a canonical state: pid ${state.tasks[0]?.pid} appears twice in tasks (also at /tasks/0)\n`);
  });

  it('row 17: --log keeps every header field (note included) and every number as written', async () => {
    const d = tmp();
    const t = join(d, 't.json');
    writeFileSync(t, '{"kreplay": 1, "note": "kept", "config": {"cpus": 4}, "events": [\n {"op":"getpid","by":1,"t":1e999,"expect":{"ret":7}},\n {"op":"getpid","by":1.0e0, "note":"x"}\n]}\n');
    for (const name of ['log.json', 'log.ndjson']) {
      const log = join(d, name);
      expect((await cli(['replay', t, '--log', log])).status).toBe(1);
      const text = readFileSync(log, 'utf8');
      expect(text).toContain('"note": "kept"');
      expect(text).toContain('"config": {"cpus": 4}');
      expect(text).toContain('"semantics":"cgroups-2009"');
      expect(text).toContain('{"op":"getpid","by":1,"t":1e999,"expect":{"ret":1}}');
      expect(text).toContain('{"op":"getpid","by":1.0e0, "note":"x","expect":{"ret":1}}');
      const again = await cli(['replay', log]);
      expect(again.status).toBe(0);
    }
  });

  it('row 18: SIGINT during fuzz prints what ran and the seed, exit 130; --workers past the cores is capped with a warning', async () => {
    const p = startCli(['fuzz', '--runs', '1000000', '--seed', '77', '--max-events', '30']);
    // Let the campaign start (its first line is printed just before the first run), then interrupt it.
    const t0 = Date.now();
    while (!p.output().includes('fuzz: seed 77') && Date.now() - t0 < 60_000) await new Promise((res) => setTimeout(res, 100));
    await new Promise((res) => setTimeout(res, 1500));
    p.kill('SIGINT');
    const r = await p.done;
    expect(r.status).toBe(130);
    expect(r.out).toMatch(/fuzz: interrupted by SIGINT after \d+ of 1000000 runs in [\d.]+ s, seed 77; no failure in the runs that completed\nreproduce the campaign: kreplay fuzz --seed 77 --runs 1000000 --max-events 30\n$/);
    const w = await cli(['fuzz', '--runs', '4', '--max-events', '5', '--workers', '100', '--json']);
    expect(w.err).toBe(`kreplay: --workers 100: this machine has ${availableParallelism()} cores; using ${availableParallelism()}\n`);
    expect(JSON.parse(w.out)).toMatchObject({ runs: 4, failure: null });
  }, 90_000);
});
