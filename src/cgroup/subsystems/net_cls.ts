import { success } from '../../reducer/outcome.js';
import type { CgroupSubsys, ControlFile, SubsysEnv } from '../subsys.js';
import type { Cgroup } from '../types.js';
import { parentOf } from '../world.js';

/** net/sched/cls_cgroup.c (the modular subsystem of seed 003): one u32 `classid` per cgroup. */
interface NetClsState {
  classid: number;
}
const stateOf = (env: SubsysEnv, cg: Cgroup): NetClsState => cg.subsys.get(env.name) as NetClsState;

const classid: ControlFile = {
  name: 'classid',
  kind: 'u64',
  read: (env, cg) => `${stateOf(env, cg).classid}\n`,
  /** `write_classid`: `(u32) value`. */
  write: (_ctx, env, cg, n) => {
    cg.subsys.set(env.name, { classid: Number(BigInt.asUintN(32, n)) });
    return success(undefined);
  },
};

export const netClsSubsys: CgroupSubsys = {
  name: 'net_cls',
  // u32 truncation, 0, hex (write_u64 takes decimal only), above 2^32, blanks
  fuzz: { files: ['classid'], value: (_w, _h, _p, _f, sel) => ['1048577', '0', '0x100001', '4294967297', ' 7 '][(sel >> 2) % 5] },
  /** `cgrp_create`: a new cgroup inherits its parent's classid; a top one starts at 0. */
  create: (env, cg) => {
    const parent = parentOf(env.hierarchy, cg);
    return success({ classid: parent ? stateOf(env, parent).classid : 0 });
  },
  destroy: () => {},
  populate: () => [classid],
  canonical: (state) => ({ classid: (state as NetClsState).classid }),
};
