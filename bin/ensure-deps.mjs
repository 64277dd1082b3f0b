#!/usr/bin/env node
// Installs dependencies with `npm ci` only when node_modules is absent or was installed from a
// different package-lock.json (the stamp below records the lock file's hash after each install).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.kreplay-deps-stamp');
const want = createHash('sha256').update(readFileSync(lock)).digest('hex');
const have = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
if (have !== want) {
  console.error(existsSync(join(root, 'node_modules')) ? 'kreplay: dependencies are stale, running npm ci' : 'kreplay: installing dependencies (npm ci)');
  try {
    execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    console.error('kreplay: npm ci failed (see npm\'s message above)');
    process.exit(1);
  }
  writeFileSync(stamp, want + '\n');
}
