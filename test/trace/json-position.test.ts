import { describe, expect, it } from 'vitest';
import { lineColumn, locateJsonError } from '../../src/trace/json-position.js';
import { didYouMean, editDistance, suggest } from '../../src/trace/suggest.js';

describe('locateJsonError (reference: Traces: invalid JSON with line and column)', () => {
  it.each([
    ['{"a":}', 1, 6, 'unexpected character "}", expected a JSON value'],
    ['{\n  "a": 1,\n}', 3, 1, 'unexpected character "}", expected a quoted key'],
    ['[1 2]', 1, 4, 'unexpected character "2", expected "," or "]"'],
    ['{"a": 1} x', 1, 10, 'unexpected character "x" after the JSON value'],
    ['{"a": "b', 1, 9, 'unterminated string'],
    ['{"a": -}', 1, 7, 'malformed number'],
    ['{"a": tru}', 1, 7, 'unexpected character "t", expected a JSON value'],
    ['', 1, 1, 'unexpected end of input, expected a JSON value'],
    ['{"a": "\\x"}', 1, 8, 'bad escape in a string'],
    ['{"a":\n\n   01}', 3, 5, 'unexpected character "1", expected "," or "}"'],
  ])('%j -> %i:%i %s', (text, line, column, detail) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(locateJsonError(text)).toEqual({ line, column, detail });
  });

  it('lineColumn counts 1-based lines and columns', () => {
    expect(lineColumn('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\ncd\nef', 6)).toEqual({ line: 3, column: 1 });
  });
});

describe('did-you-mean suggestions (reference: Traces)', () => {
  it('edit distance', () => {
    expect(editDistance('forkk', 'fork')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('pdi', 'pid')).toBe(1); // a transposition is one edit
  });
  it('suggests the closest candidate only when it is close', () => {
    expect(suggest('forkk', ['fork', 'exit', 'wait'])).toBe('fork');
    expect(suggest('mkdri', ['mkdir', 'rmdir'])).toBe('mkdir');
    expect(suggest('zzzzzz', ['fork', 'exit'])).toBeNull();
    expect(didYouMean('pdi', ['pid', 'by'])).toBe('; did you mean "pid"?');
    expect(didYouMean('qqq', ['pid'])).toBe('');
  });
});
