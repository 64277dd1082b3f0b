import type { CgroupSubsys } from '../subsys.js';
import { cpusetSubsys } from './cpuset.js';
import { debugSubsys } from './debug.js';
import { faultySubsys } from './faulty.js';
import { netClsSubsys } from './net_cls.js';

/** Every shipped subsystem plugin by name (reference: mkdir). Adding one is one line here; its `fuzz` samples get it fuzzed. */
export const SUBSYSTEMS: ReadonlyMap<string, CgroupSubsys> = new Map(
  [
    cpusetSubsys,
    netClsSubsys,
    debugSubsys,
    faultySubsys,
  ].map((p) => [p.name, p] as const),
);
