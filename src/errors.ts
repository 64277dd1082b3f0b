/**
 * Bad input (reference: Traces): an unreadable file, invalid JSON, a schema error, an unknown semantics or
 * config key. The CLI prints `message` on one line and exits with status 2; never a stack trace.
 */
export class BadInputError extends Error {
  /** `location` is e.g. `traces/x.json:3:14` or `traces/x.json event 12 (/events/11/op)`. */
  constructor(readonly location: string, readonly detail: string) {
    super(location ? `${location}: ${detail}` : detail);
    this.name = 'BadInputError';
  }
}
