import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/**
 * Why the unprivileged user (uid 65534) cannot run this checkout's CLI, or null when it can. Tests
 * that need a user root's permissions do not bypass run as that user; a checkout inside a folder
 * only root may enter (a `mktemp -d` clone) cannot be run by it, and those tests say so and skip.
 */
export function nobodyCannotRun(): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const r = spawnSync(process.execPath, ['-e', 'require("fs").accessSync(process.argv[1])', join(root, 'bin', 'kreplay')], { uid: 65534, gid: 65534 });
  if (r.status === 0) return null;
  const reason = `uid 65534 cannot read ${root} (a folder above it is closed to others), so the tests that run kreplay as an unprivileged user are skipped`;
  console.warn(`kreplay tests: ${reason}`);
  return reason;
}
