/** What a run found: an invariant violated after event `index`, an op's postcondition broken by it, a property of reference: Invariants and postconditions, or a crash. */
export interface Failure {
  kind: 'invariant' | 'postcondition' | 'property' | 'crash';
  /** Invariant id (`cpuset-subset`), postcondition id (`post-wait-nohang`), property name (`atomicity`), or `crash`. */
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
  `${f.kind === 'crash' ? 'internal error' : f.kind} ${f.name}` +
  (f.index > 0 ? ` after event ${f.index}` : '') +
  `: ${f.message}`;
