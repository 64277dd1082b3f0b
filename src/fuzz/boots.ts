import { bootKernel, copierOf, type Kernel } from '../replay/kernel.js';
import type { TraceHeader } from '../trace/schema-types.js';

/**
 * A kernel booted once (reference: Boot state boot state), copied for every boot of the same semantics and
 * config: a campaign boots one of a few dozen headers two to four times a run, and a copy costs
 * less than half a boot (`bootCgroups` builds the subsystems' top css and init's css_set).
 */
export class BootTemplate {
  /** Every invariant held on the boot state (the replay checker checked it in full once). */
  checked = false;

  /** A fresh kernel in the boot state, equal to `bootKernel`'s and sharing nothing with it. */
  readonly boot: () => Kernel;

  constructor(booted: Kernel) {
    this.boot = copierOf(booted);
  }
}

/** Templates by semantics and config; a campaign's headers are few, counterexample files add one each. */
const templates = new Map<string, BootTemplate>();

/** The template of `bootKernel(header, semantics)` (booted on first use; a bad config throws as bootKernel does). */
export function bootTemplate(header: Pick<TraceHeader, 'semantics' | 'config'>, semantics?: string): BootTemplate {
  const key = `${semantics ?? header.semantics ?? ''}\u0000${JSON.stringify(header.config ?? null)}`;
  let t = templates.get(key);
  if (t === undefined) templates.set(key, (t = new BootTemplate(bootKernel(header, semantics))));
  return t;
}

/** `bootKernel(header, semantics)` through its template. */
export const bootCopy = (header: Pick<TraceHeader, 'semantics' | 'config'>, semantics?: string): Kernel => bootTemplate(header, semantics).boot();
