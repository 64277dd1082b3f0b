import { describe, expect, it } from 'vitest';
import { bitmapParselist, cpulistFormat } from '../../src/cgroup/cpulist.js';

const parse = (t: string) => bitmapParselist(t, 64);

describe('bitmap_parselist (reference: write list syntax, 2.6.18 lib/bitmap.c bitmap_parselist)', () => {
  it('reference: write bitmap_parselist: "0,0" is {0} and "0,1-2," is {0,1,2} (one trailing comma)', () => {
    expect(parse('0,0')).toEqual({ ok: true, value: [0] });
    expect(parse('0,1-2,')).toEqual({ ok: true, value: [0, 1, 2] });
  });
  it('reference: write bitmap_parselist: the list ends at a newline', () => {
    expect(parse('0-2,5\n')).toEqual({ ok: true, value: [0, 1, 2, 5] });
    expect(parse('1\nxyz')).toEqual({ ok: true, value: [1] });
  });
  it.each(['-1', '0-', '0--1', '0AAA', '1-0', '0,,1', '0 1', '', ' 1', 'x'])('reference: write bitmap_parselist: %j -> EINVAL', (t) => {
    expect(parse(t)).toEqual({ ok: false, err: 'EINVAL' });
  });
  it('reference: write bitmap_parselist: a number >= possibleCpus -> ERANGE; the first bad item decides', () => {
    expect(parse('64')).toEqual({ ok: false, err: 'ERANGE' });
    expect(parse('0-64')).toEqual({ ok: false, err: 'ERANGE' });
    expect(parse('70,x')).toEqual({ ok: false, err: 'ERANGE' });
    expect(parse('x,70')).toEqual({ ok: false, err: 'EINVAL' });
    expect(parse('99999999999999999999999')).toEqual({ ok: false, err: 'ERANGE' });
    expect(parse('63')).toEqual({ ok: true, value: [63] });
  });
  it('reference: write bitmap_parselist: N > M is EINVAL before the range check ("80-70")', () => {
    expect(parse('80-70')).toEqual({ ok: false, err: 'EINVAL' });
    expect(parse('70-x')).toEqual({ ok: false, err: 'EINVAL' });
  });
});

describe('cpulist_scnprintf', () => {
  it('reference: write read format: runs as a-b, singles as a', () => {
    expect(cpulistFormat([0, 1, 2, 5])).toBe('0-2,5');
    expect(cpulistFormat([3])).toBe('3');
    expect(cpulistFormat([])).toBe('');
    expect(cpulistFormat([1, 3, 4])).toBe('1,3-4');
  });
});
