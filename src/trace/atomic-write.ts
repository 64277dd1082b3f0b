import { closeSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, accessSync, constants } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { BadInputError } from '../errors.js';
import { isStdin, systemReason } from './input.js';

/**
 * Every file kreplay writes (`--log`, `--state-out`, fuzz `--out`, and later commands' outputs)
 * goes through here (issue 14): the target is checked before any work (its folder exists and is
 * writable, it is not a directory or a device, it is not one of the inputs), the text goes to a
 * temporary file beside it, and only a complete file is renamed over the target. A failed or
 * interrupted command leaves every target as it was.
 */

/** What a command names: the flag (for messages) and the files it reads. */
export interface OutputCheck {
  /** The flag that named the target, e.g. `--log`. */
  flag: string;
  /** Every input of the command: the target may be none of them. */
  inputs?: readonly string[];
  /** Other targets of the same command: two outputs may not be one file. */
  others?: readonly string[];
}

const sameFile = (a: { dev: number; ino: number }, b: { dev: number; ino: number }): boolean => a.dev === b.dev && a.ino === b.ino;

function realOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/**
 * Checks that `target` can be written whole, before the command does any work; bad input
 * (exit 2, one line) if not. A target that is the same file as an input (same real path, or
 * same device and inode: a hard link) is refused: kreplay never modifies an input.
 */
export function checkOutputTarget(target: string, check: OutputCheck): void {
  const where = `${check.flag} ${target === '' ? "''" : target}`;
  if (target === '') throw new BadInputError(where, 'empty file name');
  if (isStdin(target)) throw new BadInputError(where, 'writing to standard output is not supported: name a file');
  const abs = resolve(target);
  const dir = dirname(abs);
  let dirStat;
  try {
    dirStat = statSync(dir);
  } catch (e) {
    throw new BadInputError(where, `cannot write file: folder ${dir} ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${systemReason(e)})`}`);
  }
  if (!dirStat.isDirectory()) throw new BadInputError(where, `cannot write file: ${dir} is not a folder`);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new BadInputError(where, `cannot write file: folder ${dir} is not writable (${systemReason(e)})`);
  }
  let st = null;
  try {
    st = statSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new BadInputError(where, `cannot write file: ${systemReason(e)}`);
  }
  if (st?.isDirectory()) throw new BadInputError(where, 'cannot write file: is a directory');
  if (st && !st.isFile()) {
    throw new BadInputError(where, 'cannot write file: not a regular file (kreplay writes a whole file beside it and renames it into place, which would replace a device or pipe)');
  }
  if (st) {
    const real = realOrNull(abs);
    for (const input of check.inputs ?? []) {
      if (isStdin(input)) continue;
      let ist;
      try {
        ist = statSync(input);
      } catch {
        continue;
      }
      if (sameFile(st, ist) || (real !== null && real === realOrNull(input))) {
        throw new BadInputError(where, `is the input ${input}: kreplay never overwrites its input; name another file`);
      }
    }
  }
  for (const other of check.others ?? []) {
    if (resolve(other) === abs) throw new BadInputError(where, `is also another output of this command (${other}): name two files`);
    if (st) {
      try {
        if (sameFile(st, statSync(other))) throw new BadInputError(where, `is also another output of this command (${other}): name two files`);
      } catch (e) {
        if (e instanceof BadInputError) throw e;
      }
    }
  }
}

let counter = 0;
/** Temporary files not yet renamed or removed: removed at exit, whatever ended the command. */
const pending = new Set<string>();
let exitHook = false;

function tempBeside(target: string): string {
  const abs = resolve(target);
  return resolve(dirname(abs), `.${basename(abs)}.kreplay-${process.pid}-${++counter}.tmp`);
}

/**
 * A file written in pieces and put in place only by {@link commit}: `write` appends to a
 * temporary file beside the target; {@link abort} (or the end of the process) removes it.
 * Errors are bad input naming the target (`cannot write file: no space left on device`).
 */
export class AtomicOutput {
  readonly temp: string;
  private fd: number | null;
  private buf = '';
  private done = false;

  constructor(readonly target: string) {
    this.temp = tempBeside(target);
    try {
      this.fd = openSync(this.temp, 'wx', 0o644);
    } catch (e) {
      throw this.error(e);
    }
    pending.add(this.temp);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', removePending);
    }
  }

  write(text: string): void {
    this.buf += text;
    if (this.buf.length >= 1 << 16) this.flush();
  }

  /** Writes what is buffered, syncs it to disk and renames the temporary file over the target. */
  commit(): void {
    if (this.done) return;
    try {
      this.flush();
      const fd = this.fd as number;
      fsyncSync(fd);
      closeSync(fd);
      this.fd = null;
      renameSync(this.temp, this.target);
      pending.delete(this.temp);
      this.done = true;
    } catch (e) {
      this.abort();
      throw this.error(e);
    }
  }

  /** Removes the temporary file; the target is left as it was. Safe to call more than once. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already failed: the file is removed below anyway
      }
      this.fd = null;
    }
    removeTemp(this.temp);
  }

  private flush(): void {
    if (this.buf === '' || this.fd === null) return;
    const data = Buffer.from(this.buf, 'utf8');
    this.buf = '';
    try {
      let off = 0;
      while (off < data.length) off += writeSync(this.fd, data, off, data.length - off);
    } catch (e) {
      this.abort();
      throw this.error(e);
    }
  }

  private error(e: unknown): BadInputError {
    return e instanceof BadInputError ? e : new BadInputError(this.target, `cannot write file: ${systemReason(e)}`);
  }
}

function removeTemp(path: string): void {
  pending.delete(path);
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
}

/** Removes every temporary file still pending (process exit, SIGINT). */
export function removePending(): void {
  for (const p of [...pending]) removeTemp(p);
}

/**
 * Writes `text` to `target` whole or not at all: a temporary file beside it, renamed into place
 * once complete. Throws bad input naming the target when it cannot be written; the target is
 * then as it was.
 */
export function writeOutputAtomically(target: string, text: string): void {
  const out = new AtomicOutput(target);
  try {
    out.write(text);
  } catch (e) {
    out.abort();
    throw e;
  }
  out.commit();
}
