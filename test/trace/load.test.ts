import { describe, expect, it } from 'vitest';
import { isNdjsonPath, loadTrace, openTrace, parseTrace, resolveHeader } from '../../src/trace/load.js';
import { withExpect } from '../../src/trace/write.js';
import type { Event } from '../../src/trace/schema-types.js';
import { badInput, put, tempDir } from './helpers.js';

const dir = tempDir();
const trace = (events: unknown[], header: Record<string, unknown> = {}) => ({ kreplay: 1, ...header, events });
/** The message for a JSON trace with these events (or this whole text). */
const jsonError = (content: unknown, name = 'bad.json'): string => badInput(() => loadTrace(put(dir, name, content)));

describe('loading traces (reference: JSON traces, NDJSON traces)', () => {
  it('loads a JSON trace: header fields and events', () => {
    const path = put(dir, 'ok.json', trace([{ op: 'fork', by: 1, expect: { ret: 2 } }], { semantics: 'containers-2006', config: { cpus: 2 } }));
    const t = loadTrace(path);
    expect(t.format).toBe('json');
    expect(t.header).toEqual({ kreplay: 1, semantics: 'containers-2006', config: { cpus: 2 } });
    expect(t.events).toEqual([{ op: 'fork', by: 1, expect: { ret: 2 } }]);
  });

  it('loads NDJSON (.ndjson and .jsonl): line 1 the header, then one event per non-empty line', () => {
    const text = '{"kreplay":1,"semantics":"cgroups-2009"}\n{"op":"getpid","by":1}\n\n   \n{"op":"fork","by":1}\n';
    for (const name of ['a.ndjson', 'a.jsonl']) {
      const t = loadTrace(put(dir, name, text));
      expect(t.format).toBe('ndjson');
      expect(t.header).toEqual({ kreplay: 1, semantics: 'cgroups-2009' });
      expect(t.events.map((e) => e.op)).toEqual(['getpid', 'fork']);
    }
    expect(isNdjsonPath('x.NDJSON')).toBe(true);
    expect(isNdjsonPath('x.json')).toBe(false);
  });

  it('a last line without a newline and CRLF line ends are read', () => {
    const t = loadTrace(put(dir, 'crlf.ndjson', '{"kreplay":1}\r\n{"op":"getpid","by":1}\r\n{"op":"fork","by":1}'));
    expect(t.events.map((e) => e.op)).toEqual(['getpid', 'fork']);
  });

  it('streams NDJSON: events are read and validated only as they are consumed', () => {
    const path = put(dir, 'stream.ndjson', '{"kreplay":1}\n{"op":"getpid","by":1}\n{"op":"getpid","by":1}\n{"op":"nope","by":1}\n');
    const t = openTrace(path);
    const it = t.events[Symbol.iterator]();
    expect(it.next().value).toEqual({ op: 'getpid', by: 1 });
    expect(it.next().value).toEqual({ op: 'getpid', by: 1 });
    expect(badInput(() => it.next())).toMatch(/stream\.ndjson:4 event 3 \(\/op\): unknown op "nope"/);
    t.close();
  });

  it('a UTF-8 byte-order mark and multi-byte names survive chunking', () => {
    const name = 'é'.repeat(300_000); // longer than one 1 MiB read chunk in UTF-8
    const path = put(dir, 'utf8.ndjson', '\ufeff{"kreplay":1}\n' + JSON.stringify({ op: 'mkdir', by: 1, hierarchy: 'h', path: '/' + name }) + '\n');
    const [ev] = loadTrace(path).events as [Event & { path: string }];
    expect(ev.path).toBe('/' + name);
  });
});

describe('bad input: one line, with its location (reference: Traces)', () => {
  it('an unreadable file', () => {
    expect(badInput(() => loadTrace(`${dir}/missing.json`))).toBe(`${dir}/missing.json: cannot read file: no such file`);
    expect(badInput(() => loadTrace(dir))).toBe(`${dir}: cannot read file: is a directory`);
  });

  it('invalid JSON gives line and column', () => {
    expect(jsonError('{"kreplay": 1,\n "events": [\n  {"op": "fork", "by": 1,}\n]}')).toBe(
      `${dir}/bad.json:3:26: invalid JSON: unexpected character "}", expected a quoted key`,
    );
  });

  it('invalid JSON in NDJSON gives the file line', () => {
    const msg = badInput(() => loadTrace(put(dir, 'bad.ndjson', '{"kreplay":1}\n\n{"op":"fork","by":1}\n{"op":"fork" "by":1}\n')));
    expect(msg).toBe(`${dir}/bad.ndjson:4:14: invalid JSON: unexpected character "\\"", expected "," or "}"`);
  });

  it('an NDJSON trace named .json hints at the extension', () => {
    expect(jsonError('{"kreplay":1}\n{"op":"fork","by":1}\n')).toMatch(/:2:1: invalid JSON: .*after the JSON value \(an NDJSON trace needs a \.ndjson or \.jsonl name\)$/);
  });

  it('an empty NDJSON file, and an NDJSON header that holds events', () => {
    expect(badInput(() => loadTrace(put(dir, 'empty.ndjson', '\n\n')))).toMatch(/empty trace: line 1 must be the header/);
    expect(badInput(() => loadTrace(put(dir, 'whole.ndjson', JSON.stringify(trace([])) + '\n')))).toMatch(/whole\.ndjson:1 \(\/events\): an NDJSON header has no "events"/);
  });

  it('unknown op, with a did-you-mean and the event index and JSON path', () => {
    expect(jsonError(trace([{ op: 'getpid', by: 1 }, { op: 'forkk', by: 1 }]))).toBe(
      `${dir}/bad.json event 2 (/events/1/op): unknown op "forkk"; did you mean "fork"?`,
    );
    expect(jsonError(trace([{ op: 'teleport', by: 1 }]))).toMatch(/unknown op "teleport"; expected one of: fork, exit, wait, /);
    expect(jsonError(trace([{ op: 7, by: 1 }]))).toMatch(/event 1 \(\/events\/0\/op\): "op" must be a string naming an operation, got 7$/);
    expect(jsonError(trace([{ by: 1 }]))).toMatch(/event 1 \(\/events\/0\): missing required field "op"$/);
  });

  it('unknown fields are errors, with a suggestion from that op\'s fields', () => {
    expect(jsonError(trace([{ op: 'fork', by: 1, pdi: 5 }]))).toBe(`${dir}/bad.json event 1 (/events/0/pdi): unknown field "pdi" for fork; did you mean "pid"?`);
    expect(jsonError(trace([{ op: 'fork', by: 1, expect: { ret: 2 }, nite: 'x' }]))).toMatch(/unknown field "nite" for fork; did you mean "note"\?$/);
    expect(jsonError({ kreplay: 1, evnts: [] })).toMatch(/\(\/evnts\): unknown field "evnts"; did you mean "events"\?$/);
  });

  it('missing fields and wrong types say what was expected', () => {
    expect(jsonError(trace([{ op: 'exit', by: 1 }]))).toMatch(/event 1 \(\/events\/0\): exit needs field "code"$/);
    expect(jsonError(trace([{ op: 'exit', by: 1, cod: 0 }]))).toMatch(/event 1 \(\/events\/0\/cod\): unknown field "cod" for exit; did you mean "code"\?$/);
    expect(jsonError(trace([{ op: 'fork', by: '1' }]))).toMatch(/\(\/events\/0\/by\): expected an integer, got "1"$/);
    expect(jsonError(trace([{ op: 'fork', by: 1.5 }]))).toMatch(/expected an integer, got 1\.5$/);
    expect(jsonError(trace([{ op: 'signal', by: 1, sig: 1, action: 'ignor' }]))).toMatch(
      /\(\/events\/0\/action\): expected one of "default", "ignore", "catch", got "ignor"; did you mean "ignore"\?$/,
    );
    expect(jsonError({ kreplay: 2, events: [] })).toMatch(/\(\/kreplay\): expected 1, got 2$/);
    expect(jsonError([])).toMatch(/\(\/\): expected a value of type object, got \[\]$/);
  });

  it('numbers that are not safe integers', () => {
    expect(jsonError('{"kreplay":1,"events":[{"op":"kill","by":1,"pid":2,"sig":9007199254740993}]}')).toBe(
      `${dir}/bad.json event 1 (/events/0/sig): 9007199254740992 is not a safe integer`,
    );
    expect(jsonError(trace([{ op: 'fork', by: -1e300 }]))).toMatch(/is not a safe integer$/);
  });

  it('expect must be exactly one of ret / err / blocked, with known fields', () => {
    expect(jsonError(trace([{ op: 'fork', by: 1, expect: { rett: 2 } }]))).toMatch(/\(\/events\/0\/expect\/rett\): unknown field "rett" in expect; did you mean "ret"\?$/);
    expect(jsonError(trace([{ op: 'fork', by: 1, expect: {} }]))).toMatch(/expect needs exactly one of "ret", "err", "blocked"$/);
    expect(jsonError(trace([{ op: 'fork', by: 1, expect: { ret: 2, err: 'EPERM' } }]))).toMatch(/got "ret" and "err"$/);
    expect(jsonError(trace([{ op: 'fork', by: 1, expect: { err: 'eperm' } }]))).toMatch(/\(\/events\/0\/expect\/err\): expected an errno name such as "EPERM", got "eperm"$/);
  });

  it('unknown semantics and unknown config keys', () => {
    expect(jsonError(trace([], { semantics: 'cgroups-2008' }))).toBe(
      `${dir}/bad.json (/semantics): unknown semantics "cgroups-2008"; did you mean "cgroups-2009"? (known: containers-2006, cgroups-2009, linux-6)`,
    );
    expect(jsonError(trace([], { config: { cpu: 2 } }))).toBe(`${dir}/bad.json (/config/cpu): unknown config key "cpu"; did you mean "cpus"?`);
    expect(jsonError(trace([], { config: { cpus: 0 } }))).toMatch(/\(\/config\/cpus\): expected a number >= 1, got 0$/);
  });

  it('a config no kernel could boot is reported against the trace; --semantics names are checked', () => {
    const t = loadTrace(put(dir, 'cfg.json', trace([], { config: { cpus: 8, possibleCpus: 4 } })));
    expect(badInput(() => resolveHeader(t.header, t.source))).toBe(`${dir}/cfg.json (/config): cpus (8) exceeds possibleCpus (4)`);
    expect(badInput(() => resolveHeader({ kreplay: 1 }, 'x.json', 'linux-7'))).toMatch(/^--semantics: unknown semantics "linux-7"/);
    expect(resolveHeader({ kreplay: 1, semantics: 'cgroups-2009' }, 'x.json', 'containers-2006').version.name).toBe('containers-2006');
  });
});

describe('__proto__ and constructor are plain names (reference: Traces)', () => {
  it('a __proto__ key is an unknown field, never a prototype', () => {
    expect(jsonError('{"kreplay":1,"events":[{"op":"fork","by":1,"__proto__":{"polluted":1}}]}')).toMatch(/unknown field "__proto__" for fork$/);
    expect(jsonError('{"kreplay":1,"config":{"__proto__":{"cpus":9}},"events":[]}')).toMatch(/unknown config key "__proto__"$/);
    expect(jsonError('{"kreplay":1,"events":[{"op":"fork","by":1,"expect":{"__proto__":{"ret":2}}}]}')).toMatch(/unknown field "__proto__" in expect$/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names such as __proto__ and constructor load as ordinary strings', () => {
    const t = loadTrace(put(dir, 'names.json', trace([
      { op: 'mkdir', by: 1, hierarchy: '__proto__', path: '/constructor' },
      { op: 'vps_checkpoint', by: 1, vps: 1, image: '__proto__' },
    ])));
    expect(t.events[0]).toEqual({ op: 'mkdir', by: 1, hierarchy: '__proto__', path: '/constructor' });
    expect(t.events[1]).toMatchObject({ image: '__proto__' });
  });

  it('withExpect copies an event key by key without touching prototypes', () => {
    const ev = JSON.parse('{"op":"fork","by":1,"__proto__":{"x":1}}') as Event;
    const out = withExpect(ev, { ret: 2 }) as unknown as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(Object.keys(out)).toEqual(['op', 'by', '__proto__', 'expect']);
    expect(out.x).toBeUndefined();
  });

  it('parseTrace accepts an in-memory value and locates errors the same way', () => {
    expect(badInput(() => parseTrace({ kreplay: 1, events: [{ op: 'fork' }] }, 'mem'))).toBe('mem event 1 (/events/0): fork needs field "by"');
  });
});
