import { BadInputError } from '../errors.js';
import { cut } from '../trace/json-position.js';

/** Exit statuses (reference: Command line). */
export const EXIT_OK = 0;
/** A divergence, an invariant violation or a property failure was found. */
export const EXIT_FOUND = 1;
/** Bad input: unreadable file, invalid JSON, schema error, bad flag (reference: Traces). */
export const EXIT_BAD_INPUT = 2;
/** A bug in kreplay. */
export const EXIT_INTERNAL = 3;
/** `fuzz` stopped by SIGINT, after printing what ran (128 + SIGINT, as a shell reports it). */
export const EXIT_INTERRUPTED = 130;

/**
 * Raises the process exit status to at least `code`: a command run over many traces exits with
 * its worst result. Commands (diff and fuzz included) report their status through this.
 */
export function raiseExit(code: number): void {
  process.exitCode = Math.max(Number(process.exitCode ?? 0), code);
}

/**
 * Reports an error on stderr and returns its exit status: bad input is one line and never a
 * stack trace (reference: Traces); anything else is an internal error, shown with its stack for the bug report.
 */
export function reportError(e: unknown): number {
  if (e instanceof BadInputError) {
    // One line, and a bounded one: a message quoting hostile input is cut, not flooded.
    process.stderr.write(`kreplay: ${cut(e.message.replace(/\s*\n\s*/g, ' '), 2000)}\n`);
    return EXIT_BAD_INPUT;
  }
  const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.stderr.write(`kreplay: internal error (a bug in kreplay, please report it): ${detail}\n`);
  return EXIT_INTERNAL;
}
