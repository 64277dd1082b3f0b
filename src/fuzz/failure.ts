/** What a run found: an invariant violated after event `index`, a property of reference: Invariants and postconditions, or a crash. */
export interface Failure {
  kind: 'invariant' | 'property' | 'crash';
  /** Invariant id (`cpuset-subset`), property name (`atomicity`), or `crash`. */
  name: string;
  /** 1-based index of the event after which it was seen; 0 = the boot state or the run as a whole. */
  index: number;
  message: string;
}

/** The reference: Invariants and postconditions properties (and `callback-order`, reference: mkdir, attach), by the names counterexamples and reports use. */
export const PROPERTIES = [
  'determinism',
  'snapshot',
  'atomicity',
  'callback-order',
  'round-trip',
  'location-transparency',
  'checkpoint-transparency',
  'version-agreement',
] as const;
export type PropertyName = (typeof PROPERTIES)[number];

export const describeFailure = (f: Failure): string =>
  `${f.kind === 'invariant' ? 'invariant' : f.kind === 'property' ? 'property' : 'internal error'} ${f.name}` +
  (f.index > 0 ? ` after event ${f.index}` : '') +
  `: ${f.message}`;
