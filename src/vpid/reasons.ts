import type { ReasonTable } from '../reducer/reason-def.js';

/** Why a VPS op failed (docs/reference.md, "Reason codes"), seed 004's virtual pids. */
export const VPID_REASONS = {
  'vps-unsupported': { outcome: 'ENOSYS', args: [], text: () => 'pid virtualization is off (config pidVirt "none")' },
  'no-vps': { outcome: 'ENOSYS', args: [], text: () => 'this semantic version has no OpenVZ VPSs (seed 004 is not part of it)' },
  'vps-caller-inside': { outcome: 'EPERM', args: ['caller', 'vps'], text: (c, v) => `caller ${c} is inside VPS ${v}; only the host manages VPSs` },
  'vps-bad-id': { outcome: 'EINVAL', args: ['vps'], text: (v) => `VPS id ${v} is not a positive integer` },
  'vps-exists': { outcome: 'EEXIST', args: ['vps'], text: (v) => `VPS ${v} already exists` },
  'vps-unknown': { outcome: 'ENOENT', args: ['vps'], text: (v) => `no VPS ${v}` },
  'vps-init-dead': {
    outcome: 'EINVAL', args: ['vps', 'init', 'parent'],
    text: (v, i, p) => `VPS ${v} still exists, but its init ${i} is a zombie not yet reaped${p === 0 ? '' : ` by its parent ${p}`}`,
  },
  'vpid-init-taken': { outcome: 'EEXIST', args: ['vps'], text: (v) => `VPS ${v} already has an init (vpid 1)` },
  'vpid-taken': { outcome: 'EEXIST', args: ['vpid', 'vps'], text: (x, v) => `vpid ${x} is already mapped in VPS ${v}` },
  'vpid-space-full': { outcome: 'EAGAIN', args: ['vps'], text: (v) => `VPS ${v} has no free vpid` },
  'image-exists': { outcome: 'EEXIST', args: ['image'], text: (i) => `an image named ${JSON.stringify(i)} exists` },
  'image-unknown': { outcome: 'ENOENT', args: ['image'], text: (i) => `no image named ${JSON.stringify(i)}` },
  'image-no-init': { outcome: 'EINVAL', args: ['image'], text: (i) => `image ${JSON.stringify(i)} has no task with vpid 1` },
  'image-cgroup-gone': { outcome: 'ENOENT', args: ['hierarchy', 'path'], text: (h, p) => `the recorded cgroup ${h}:${p} no longer exists` },
  'image-node-down': { outcome: 'EINVAL', args: ['node'], text: (n) => `a recorded task runs on node ${n}, which is unknown or down` },
  'image-orphan': { outcome: 'EINVAL', args: ['vpid'], text: (x) => `recorded task ${x} has a parent the image does not hold` },
} satisfies ReasonTable;
