import { describe, expect, it } from 'vitest';
import { bitmapParselistRegions } from '../../src/cgroup/cpulist-regions.js';
import { kstrtoint, kstrtoull } from '../../src/cgroup/kstrtox.js';

/**
 * The 6.x parsers, with the answers Linux 6.18 gave on this repository's test machine (2 cpus,
 * nr_cpu_ids 2, MAX_NUMNODES 1024) for writes to a cpuset's `cpuset.cpus` / `cpuset.mems` after
 * the kernel's `strstrip`; the same cases are events of traces/kernel/linux6-cpulist.json.
 */
const cpus = (t: string) => bitmapParselistRegions(t, 2);
const ok = (value: number[]) => ({ ok: true, value });
const no = (err: string) => ({ ok: false, err });

describe('6.18 lib/bitmap-str.c bitmap_parselist (cpulist_parse / nodelist_parse under linux-6)', () => {
  it('6.18 bitmap_parselist: empty elements, commas and white space between regions', () => {
    expect(cpus('0,,1')).toEqual(ok([0, 1]));
    expect(cpus('0 1')).toEqual(ok([0, 1]));
    expect(cpus(',')).toEqual(ok([]));
    expect(cpus(' , ')).toEqual(ok([]));
    expect(cpus('0-1,')).toEqual(ok([0, 1]));
    expect(cpus('')).toEqual(ok([]));
  });
  it('6.18 bitmap_parselist: a newline in place of a region ends the list; after separators it is one', () => {
    expect(cpus('0\n1')).toEqual(ok([0]));
    expect(cpus('0,\n1')).toEqual(ok([0, 1]));
  });
  it('6.18 bitmap_parse_region: a-b:used/group, N and all', () => {
    expect(cpus('0-1:1/2')).toEqual(ok([0]));
    expect(cpus('1-1:1/2')).toEqual(ok([1]));
    expect(cpus('0-1:0/2')).toEqual(ok([]));
    expect(cpus('0-1:2/2')).toEqual(ok([0, 1]));
    expect(bitmapParselistRegions('0-1023:2/256', 1024)).toEqual(ok([0, 1, 256, 257, 512, 513, 768, 769]));
    expect(cpus('N')).toEqual(ok([1]));
    expect(cpus('all')).toEqual(ok([0, 1]));
    expect(cpus('ALL:1/2')).toEqual(ok([0]));
    expect(cpus('01')).toEqual(ok([1]));
  });
  it.each(['0-1:3/2', '0-1:1/0', '0;1', 'a', '0-1:1/2x', '0:1/2', 'N-0', '+1', 'abc', '1-0', '-1', '0-', '0x1', '4294967295'])(
    '6.18 bitmap_parselist / bitmap_check_region: %j -> EINVAL',
    (t) => expect(cpus(t)).toEqual(no('EINVAL')),
  );
  it('6.18 bitmap_check_region: a bit at or above nr_cpu_ids -> ERANGE; bitmap_getnum: past 32 bits -> EOVERFLOW', () => {
    for (const t of ['2', '5', '0-1,5', '1000000']) expect(cpus(t)).toEqual(no('ERANGE'));
    expect(cpus('99999999999')).toEqual(no('EOVERFLOW'));
    expect(cpus('4294967296')).toEqual(no('EOVERFLOW'));
    expect(bitmapParselistRegions('1024', 1024)).toEqual(no('ERANGE'));
    expect(bitmapParselistRegions('1023', 1024)).toEqual(ok([1023]));
  });
});

describe('6.18 lib/kstrtox.c kstrtoull / kstrtoint (cgroup_file_write, cgroup_procs_write_start)', () => {
  it('6.18 kstrtoull(s, 0): one trailing newline, + sign, 0x hex, 0 octal, long zero runs', () => {
    expect(kstrtoull('1\n')).toEqual({ ok: true, value: 1n });
    expect(kstrtoull('+1')).toEqual({ ok: true, value: 1n });
    expect(kstrtoull('0x1')).toEqual({ ok: true, value: 1n });
    expect(kstrtoull('010')).toEqual({ ok: true, value: 8n });
    expect(kstrtoull('0'.repeat(70) + '1')).toEqual({ ok: true, value: 1n });
    expect(kstrtoull('18446744073709551615')).toEqual({ ok: true, value: (1n << 64n) - 1n });
  });
  it.each(['', '\n', 'abc', '-1', '-0', ' 1', '1 ', '1\n\n', '0x', '08'])('6.18 kstrtoull: %j -> EINVAL (no stripping)', (t) => {
    expect(kstrtoull(t)).toEqual(no('EINVAL'));
  });
  it('6.18 kstrtoull: past 2^64 -> ERANGE, not a wrapped number', () => {
    expect(kstrtoull('18446744073709551616')).toEqual(no('ERANGE'));
    expect(kstrtoull('99999999999999999999999')).toEqual(no('ERANGE'));
  });
  it('6.18 kstrtoint: signs, bases, and ERANGE outside int', () => {
    expect(kstrtoint('-0')).toEqual({ ok: true, value: 0 });
    expect(kstrtoint('-5')).toEqual({ ok: true, value: -5 });
    expect(kstrtoint('0x10')).toEqual({ ok: true, value: 16 });
    expect(kstrtoint('2147483647')).toEqual({ ok: true, value: 2147483647 });
    expect(kstrtoint('2147483648')).toEqual(no('ERANGE'));
    expect(kstrtoint('-2147483648')).toEqual({ ok: true, value: -2147483648 });
    expect(kstrtoint('-2147483649')).toEqual(no('ERANGE'));
    expect(kstrtoint('1 2')).toEqual(no('EINVAL'));
  });
});
