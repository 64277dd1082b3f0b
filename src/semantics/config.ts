import { BadInputError } from '../errors.js';
import type { ConfigOverrides } from '../trace/schema-types.js';

/** The resolved configuration of a replay (reference: Config): a version's defaults with the trace's overrides. */
export interface Config {
  cpus: number;
  mems: number;
  possibleCpus: number;
  possibleMems: number;
  nodes: number;
  pidMax: number;
  reservedPids: number;
  pidVirt: 'vpid' | 'none';
  builtinSubsystems: string[];
  subsysSlots: number;
  initReaps: boolean;
  /** The level of the root pid namespace (reference: pid namespaces): 0 on a machine's initial one, 1 in a recording's sandbox. */
  rootPidNsLevel: number;
  traceCallbacks: boolean;
}

/** Applies `overrides` to `defaults`, rejecting combinations no kernel could boot with. */
export function resolveConfig(defaults: Config, overrides: ConfigOverrides | undefined, where = 'config'): Config {
  const config: Config = { ...defaults, builtinSubsystems: [...defaults.builtinSubsystems] };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (!Object.prototype.hasOwnProperty.call(defaults, key)) throw new BadInputError(where, `unknown config key "${key}"`);
    (config as unknown as Record<string, unknown>)[key] = Array.isArray(value) ? [...value] : value;
  }
  const bad = (detail: string): never => {
    throw new BadInputError(where, detail);
  };
  if (config.cpus > config.possibleCpus) bad(`cpus (${config.cpus}) exceeds possibleCpus (${config.possibleCpus})`);
  if (config.mems > config.possibleMems) bad(`mems (${config.mems}) exceeds possibleMems (${config.possibleMems})`);
  if (config.reservedPids >= config.pidMax) bad(`reservedPids (${config.reservedPids}) must be below pidMax (${config.pidMax})`);
  if (config.builtinSubsystems.length > config.subsysSlots)
    bad(`builtinSubsystems (${config.builtinSubsystems.length}) do not fit in subsysSlots (${config.subsysSlots})`);
  return config;
}
