import { defineOp } from '../reducer/op.js';
import { VPS_CHECKPOINT_POSTCONDITIONS, VPS_CREATE_POSTCONDITIONS, VPS_ENTER_POSTCONDITIONS, VPS_RESTORE_POSTCONDITIONS } from './vps.post.js';
import { byOf, caller, IMAGES, vpsArg } from '../workload/gen.js';
import { pickOr } from '../workload/pick.js';
import { sysVpsCheckpoint } from './checkpoint.js';
import { sysVpsRestore } from './restore.js';
import { sysVpsCreate, sysVpsEnter } from './vps.js';

/** The VPID layer's ops (reference: vps_create, seed 004), each defined once (src/reducer/op.ts). */

export const vpsCreateOp = defineOp({
  name: 'vps_create',
  env: false,
  handler: sysVpsCreate,
  post: VPS_CREATE_POSTCONDITIONS,
  models: 'seed 004 VPS creation: fork of the VPS init (alloc_vpid), leader of a new session',
  returns: "the new VPS init's global pid",
  args: { vps: "the new VPS id, a positive integer" },
  effect: 'scoped',
  rules: ['vps'],
  allocates: true,
  // 8.1, plus fork's EAGAIN; ENOSYS without pid virtualization
  errnos: ['ESRCH', 'EPERM', 'EINVAL', 'EEXIST', 'ENOSYS', 'EAGAIN'],
  reasons: ['vps-unsupported', 'vps-caller-inside', 'vps-bad-id', 'vps-exists', 'pidmap-full', 'injected'],
  gen: [{ weight: 4, make: (g) => { const t = caller(g, true); const sel = g.next();
    const vps = g.bad && sel % 2 ? pickOr([0, -1, ...g.s.vpses.keys()], sel >> 1, 0) : 1 + (sel % 4);
    return { op: 'vps_create', by: byOf(t), vps }; } }],
});

export const vpsEnterOp = defineOp({
  name: 'vps_enter',
  env: false,
  handler: sysVpsEnter,
  post: VPS_ENTER_POSTCONDITIONS,
  models: 'seed 004 entering a VPS: a forked child joins it as a session leader',
  returns: "the new child's global pid",
  args: { vps: "the VPS to enter" },
  effect: 'scoped',
  rules: ['vps'],
  allocates: true,
  errnos: ['ESRCH', 'EPERM', 'ENOENT', 'EINVAL', 'ENOSYS', 'EAGAIN'],
  reasons: ['vps-unsupported', 'vps-caller-inside', 'vps-unknown', 'vps-init-dead', 'pidmap-full', 'vpid-space-full', 'injected'],
  gen: [{ weight: 4, make: (g) => ({ op: 'vps_enter', by: byOf(caller(g, true)), vps: vpsArg(g) }) }],
});

export const vpsCheckpointOp = defineOp({
  name: 'vps_checkpoint',
  env: false,
  handler: sysVpsCheckpoint,
  post: VPS_CHECKPOINT_POSTCONDITIONS,
  models: 'seed 004 checkpoint: the image records the VPS; the VPS keeps running',
  returns: "0",
  args: { vps: "the VPS to record", image: "the name to record it under" },
  effect: 'none',
  rules: ['vps'],
  // 8.4
  errnos: ['ESRCH', 'EPERM', 'ENOENT', 'EEXIST', 'ENOSYS'],
  reasons: ['vps-unsupported', 'vps-caller-inside', 'vps-unknown', 'image-exists'],
  gen: [{ weight: 2, make: (g) => ({ op: 'vps_checkpoint', by: byOf(caller(g, true)), vps: vpsArg(g), image: pickOr(IMAGES, g.next(), 'img1') }) }],
});

export const vpsRestoreOp = defineOp({
  name: 'vps_restore',
  env: false,
  handler: sysVpsRestore,
  post: VPS_RESTORE_POSTCONDITIONS,
  models: 'seed 004 restore: the image\'s tasks are forked back with their vpids (alloc_vpid, sparse mode)',
  returns: "the restored init's global pid",
  args: { vps: "the id of the VPS to create", image: "the image to restore" },
  effect: 'wholesale',
  rules: ['vps'],
  allocates: true,
  // ENOSPC: a recorded cpuset that exists again but has no cpus or mems refuses the task (can_attach)
  errnos: ['ESRCH', 'EPERM', 'EINVAL', 'EEXIST', 'ENOENT', 'ENOSYS', 'EAGAIN', 'ENOSPC'],
  reasons: ['vps-unsupported', 'vps-caller-inside', 'vps-bad-id', 'vps-exists', 'image-unknown', 'image-no-init', 'image-cgroup-gone', 'image-node-down', 'image-orphan', 'pidmap-full', 'cpuset-cannot-attach', 'injected'],
  gen: [{ weight: 2, make: (g) => { const t = caller(g, true); const sel = g.next();
    const imgs = [...g.s.images.keys()].sort();
    const image = g.bad && sel % 2 ? 'noimage' : pickOr(imgs, sel >> 1, 'img1');
    const vps = g.bad && sel % 4 === 1 ? pickOr([...g.s.vpses.keys(), 0], sel >> 3, 0) : 1 + ((sel >> 3) % 6);
    return { op: 'vps_restore', by: byOf(t), vps, image }; } }],
});
