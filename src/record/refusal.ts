/**
 * Why `kreplay record` will not run: the machine cannot record (not Linux, not root, no
 * executor, no cpuset hierarchy) or the trace holds an event a live kernel cannot run. The CLI
 * prints it on one line and exits 2, before anything ran.
 */
export class RecordRefusal extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'RecordRefusal';
  }
}

/** The executor failed or died while recording (a broken sandbox, a signal): exit 3. */
export class RecordFailure extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'RecordFailure';
  }
}
