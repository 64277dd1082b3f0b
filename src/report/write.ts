import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BadInputError } from '../errors.js';

/**
 * Writes `text` to `target` whole or not at all: into a temporary file beside it, flushed, then
 * renamed over it, so a reader never sees half a report and a failed write leaves the old file.
 * (The shared atomic-output module replaces this at merge.)
 */
export function writeFileAtomic(target: string, text: string): void {
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  let fd: number | null;
  try {
    fd = openSync(tmp, 'w');
  } catch (e) {
    throw new BadInputError(target, `cannot write: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, target);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}
