import { BadInputError } from '../errors.js';
import type { Config } from '../semantics/config.js';
import type { SemanticVersion } from '../semantics/versions.js';
import { findCssSet, getCssSet, rehashCssSets } from './cssset.js';
import { SUBSYSTEMS } from './subsystems/index.js';
import type { CgroupWorld, Hierarchy } from './types.js';
import { newCgroup, ROOT, rootOf, sortForCalls, subsysEnv } from './world.js';

const range = (n: number): Set<number> => new Set(Array.from({ length: n }, (_, i) => i));
const emptyHierarchy = (name: string): Hierarchy => ({
  name,
  subsystems: [],
  noprefix: false,
  releaseAgent: '',
  cgroups: new Map([[ROOT, newCgroup(ROOT, null, false)]]),
});

/**
 * The cgroup layer at boot (reference: Boot state): builtin subsystems in slots 0..n-1 (`cgroup_init_subsys` /
 * `cpuset_init_early` → `container_register_subsys`), their top css created on the dummy root
 * (2009) or the always-mounted `container` hierarchy (2006); global init in every root, through
 * `init_css_set`. Returns the world and the id of init's css_set.
 */
export function bootCgroups(v: SemanticVersion, config: Config): { world: CgroupWorld; initCssSet: number } {
  const world: CgroupWorld = {
    hierarchies: new Map(),
    dummy: emptyHierarchy(''),
    slots: Array.from({ length: config.subsysSlots }, () => null),
    cssSets: new Map(),
    cssSetTable: new Map(),
    nextCssSetId: 1,
    initCssSet: 1,
    cpusOnline: range(config.cpus),
    memsOnline: range(config.mems),
  };
  const home = v.hierarchies === 'single' ? emptyHierarchy(v.singleHierarchyName) : world.dummy;
  if (home !== world.dummy) world.hierarchies.set(home.name, home);
  config.builtinSubsystems.forEach((name, id) => {
    const plugin = SUBSYSTEMS.get(name);
    if (!plugin) throw new BadInputError('config', `builtinSubsystems: unknown subsystem "${name}" (known: ${[...SUBSYSTEMS.keys()].join(', ')})`);
    if (config.builtinSubsystems.indexOf(name) !== id) throw new BadInputError('config', `builtinSubsystems: "${name}" listed twice`);
    const top = plugin.create?.(subsysEnv(world, config, v, name, home), rootOf(home));
    if (top && !top.ok) throw new Error(`internal: builtin ${name} failed to create its top css`);
    world.slots[id] = { name, id, builtin: true, hierarchy: home === world.dummy ? null : home.name };
    rootOf(home).subsys.set(name, top?.ok ? top.value : undefined);
  });
  home.subsystems = sortForCalls(v, world, config.builtinSubsystems);
  const init = findCssSet(world, new Map([...world.hierarchies.keys()].map((h) => [h, ROOT] as const)));
  getCssSet(init);
  init.tasks.add(1);
  world.initCssSet = init.id;
  for (const h of world.hierarchies.values()) rootOf(h).taskCount = 1;
  rehashCssSets(world);
  return { world, initCssSet: init.id };
}
