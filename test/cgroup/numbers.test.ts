import { describe, expect, it } from 'vitest';
import { parseControlU64, parseTasksPid, simpleStrtoul, sscanfInt, strstrip, writeU64 } from '../../src/cgroup/numbers.js';
import { VERSIONS } from '../../src/semantics/versions.js';

const v6 = VERSIONS['containers-2006'];
const v9 = VERSIONS['cgroups-2009'];

describe('control-file numbers (reference: write)', () => {
  it('2006 simple_strtoul: leading digits, anything else reads as 0', () => {
    expect(simpleStrtoul('12abc')).toBe(12n);
    expect(simpleStrtoul('abc')).toBe(0n);
    expect(simpleStrtoul(' 1')).toBe(0n);
    expect(simpleStrtoul('0x10')).toBe(0n);
    expect(parseControlU64(v6, 'junk')).toEqual({ ok: true, value: 0n });
  });
  it('2009 write_u64 (2.6.33 cgroup_write_X64): whole stripped text, decimal / 0x hex / 0 octal, else EINVAL', () => {
    expect(writeU64(' 42\n')).toBe(42n);
    expect(writeU64('0x1F')).toBe(31n);
    expect(writeU64('010')).toBe(8n);
    expect(writeU64('')).toBe(0n);
    for (const bad of ['08', '0x', '-1', '+1', '1 2', '12abc', 'x']) expect(writeU64(bad)).toBeNull();
    expect(parseControlU64(v9, '12abc')).toEqual({ ok: false, err: 'EINVAL' });
  });
  it('strstrip removes surrounding white space only', () => {
    expect(strstrip(' \t0-1 \n')).toBe('0-1');
    expect(strstrip('0 1')).toBe('0 1');
  });
  it('seed 001 container.c attach_task: sscanf("%d") takes white space, a sign and digits; none -> EIO', () => {
    expect(sscanfInt(' 5x')).toBe(5);
    expect(sscanfInt('-3')).toBe(-3);
    expect(sscanfInt('+3')).toBeNull();
    expect(parseTasksPid(v6, 'abc')).toEqual({ ok: false, err: 'EIO' });
    expect(parseTasksPid(v9, 'abc')).toEqual({ ok: false, err: 'EINVAL' });
    expect(parseTasksPid(v9, ' 7\n')).toEqual({ ok: true, value: 7 });
  });
});
