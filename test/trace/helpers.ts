import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { BadInputError } from '../../src/errors.js';

/** A fresh temporary directory for one test file's traces. */
export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'kreplay-io-'));

/** Writes `text` (or JSON of a value) to `dir/name` and returns the path. */
export function put(dir: string, name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** Runs `fn`, requiring a BadInputError, and returns its one-line message. */
export function badInput(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BadInputError);
    const message = (e as BadInputError).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a BadInputError, nothing was thrown');
}
