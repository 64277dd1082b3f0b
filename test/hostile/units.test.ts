import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../src/errors.js';
import { AtomicOutput, checkOutputTarget, writeOutputAtomically } from '../../src/trace/atomic-write.js';
import { JsonScanError, scanJson } from '../../src/trace/json-position.js';
import { readLines, withStdin, openInput } from '../../src/trace/input.js';
import { setMemberText } from '../../src/trace/write.js';
import { parseJsonText } from '../../src/trace/load.js';
import { tmp } from './helpers.js';

describe('atomic-write.ts: outputs whole or not at all (issue 14 item 1)', () => {
  it('writeOutputAtomically writes the whole text and leaves no temporary file', () => {
    const d = tmp();
    const t = join(d, 'out.json');
    writeFileSync(t, 'old');
    writeOutputAtomically(t, 'new text\n');
    expect(readFileSync(t, 'utf8')).toBe('new text\n');
    expect(readdirSync(d)).toEqual(['out.json']);
  });

  it('AtomicOutput.abort leaves the target as it was; a failed commit too, with a one-line error', () => {
    const d = tmp();
    const t = join(d, 'out.json');
    writeFileSync(t, 'old');
    const a = new AtomicOutput(t);
    a.write('half');
    a.abort();
    expect(readFileSync(t, 'utf8')).toBe('old');
    expect(readdirSync(d)).toEqual(['out.json']);
    // The target turns into a directory after the check: the rename fails, nothing is lost.
    const dirTarget = join(d, 'later');
    const b = new AtomicOutput(dirTarget);
    b.write('text');
    mkdirSync(dirTarget);
    writeFileSync(join(dirTarget, 'keep'), 'k');
    expect(() => b.commit()).toThrow(BadInputError);
    expect(readFileSync(join(dirTarget, 'keep'), 'utf8')).toBe('k');
    expect(readdirSync(d).sort()).toEqual(['later', 'out.json']);
  });

  it('checkOutputTarget accepts a new file in a writable folder and refuses the input', () => {
    const d = tmp();
    const input = join(d, 'in.json');
    writeFileSync(input, '{}');
    expect(() => checkOutputTarget(join(d, 'new.json'), { flag: '--log', inputs: [input] })).not.toThrow();
    expect(() => checkOutputTarget(input, { flag: '--log', inputs: [input] })).toThrow(/is the input/);
    expect(() => checkOutputTarget('-', { flag: '--log' })).toThrow(/standard output is not supported/);
    expect(existsSync(join(d, 'new.json'))).toBe(false);
  });
});

describe('json-position.ts: one iterative pass (issue 14 item 2)', () => {
  it('a million nested brackets: a depth error, never a stack overflow', () => {
    const deep = '['.repeat(1_000_000);
    expect(() => scanJson(deep)).toThrow(JsonScanError);
    let detail = '';
    try {
      scanJson(deep, { maxDepth: Infinity });
    } catch (e) {
      detail = (e as JsonScanError).detail;
    }
    expect(detail).toBe('unexpected end of input, expected a JSON value');
  });

  it('duplicate keys are found after escapes are decoded, with their path', () => {
    try {
      scanJson('{"x":[{"a":1,"\\u0061":2}]}');
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ kind: 'duplicate', path: '/x/0/a' });
    }
    expect(() => scanJson('{"a":{"a":1},"b":{"a":2}}')).not.toThrow();
  });

  it('parseJsonText: its fast path accepts and refuses what the located scan does (issue 14 item 4)', () => {
    const refusal = (text: string): string | null => {
      try {
        parseJsonText(text, 'x');
        return null;
      } catch (e) {
        return (e as BadInputError).message;
      }
    };
    // colons and escaped quotes inside strings are no members; __proto__ is a plain key
    expect(parseJsonText('{"a":"x:y\\":","__proto__":{"b":"\\\\"}}', 'x').value).toEqual(JSON.parse('{"a":"x:y\\":","__proto__":{"b":"\\\\"}}'));
    // a key given twice, at any depth, escaped or not, is still found and located
    expect(refusal('{"x":[{"a":1,"\\u0061":2}]}')).toMatch(/\/x\/0\/a.*duplicate key "a"/);
    expect(refusal('{"a":{"b":1,"b":2}}')).toMatch(/\/a\/b.*duplicate key "b"/);
    // nesting: 63 levels parse, 65 are refused with the scan's message
    expect(refusal('['.repeat(63) + ']'.repeat(63))).toBeNull();
    expect(refusal('['.repeat(65) + ']'.repeat(65))).toMatch(/nested deeper than 64 levels/);
    expect(refusal('{"a":'.repeat(64) + '1' + '}'.repeat(64))).toBeNull();
    expect(refusal('{"a":'.repeat(65) + '1' + '}'.repeat(65))).toMatch(/nested deeper than 64 levels/);
    // the depth is counted on the text before JSON.parse: brackets inside strings are no nesting
    expect(parseJsonText(`{"a":"${'[{'.repeat(100)}","b":[1]}`, 'x').value).toEqual({ a: '[{'.repeat(100), b: [1] });
    // 100,000 open brackets, closed or not: refused where the limit is passed
    expect(refusal('['.repeat(100_000))).toMatch(/^x:1:65 .*nested deeper than 64 levels/);
    expect(refusal('['.repeat(100_000) + ']'.repeat(100_000))).toMatch(/^x:1:65 .*nested deeper than 64 levels/);
  });

  it('setMemberText keeps every other byte as written', () => {
    expect(setMemberText('{"op":"getpid", "t":1e999,"expect":{"ret":7} }', 'expect', '{"ret":1}')).toBe('{"op":"getpid", "t":1e999,"expect":{"ret":1} }');
    expect(setMemberText('{"op":"getpid","by":1.0e0}', 'expect', '{"ret":1}')).toBe('{"op":"getpid","by":1.0e0,"expect":{"ret":1}}');
  });
});

describe('input.ts: lines (issue 14 item 2)', () => {
  it('reads lines across chunk boundaries and refuses one longer than the limit', () => {
    const text = `${'a'.repeat(70_000)}\nb\r\n\nlast`;
    const lines = withStdin(text, () => [...readLines(openInput('-'), '-', 1 << 20)]);
    expect(lines.map((l) => [l.no, l.text.length])).toEqual([[1, 70_000], [2, 2], [3, 0], [4, 4]]);
    expect(() => withStdin(text, () => [...readLines(openInput('-'), '-', 1000)])).toThrow('-:1: line longer than 1000 bytes (--max-line-bytes raises the limit)');
  });
});
