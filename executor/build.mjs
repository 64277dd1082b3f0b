#!/usr/bin/env node
// Builds the recorder's executor (executor/kreplay-exec.c) with the machine's C compiler into
// executor/build/ (git-ignored). Part of `npm run build`. A machine without a C compiler, or
// other than Linux, still builds the rest: this prints why the executor was skipped, and
// `kreplay record` then refuses with one line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const out = `${dir}build/kreplay-exec`;

if (process.platform !== 'linux') {
  console.warn('kreplay: executor not built (not Linux); kreplay record is unavailable');
  process.exit(0);
}
const compiler = ['cc', 'gcc', 'clang'].find((cc) => spawnSync(cc, ['--version'], { stdio: 'ignore' }).status === 0);
if (!compiler) {
  rmSync(out, { force: true });
  console.warn('kreplay: executor not built (no C compiler: cc, gcc or clang); kreplay record is unavailable');
  process.exit(0);
}
mkdirSync(`${dir}build`, { recursive: true });
const r = spawnSync(compiler, ['-O2', '-std=gnu11', '-Wall', '-Wextra', '-Wno-format-truncation', '-o', out, `${dir}kreplay-exec.c`], { stdio: 'inherit' });
if (r.status !== 0) {
  rmSync(out, { force: true });
  console.warn(`kreplay: executor not built (${compiler} failed); kreplay record is unavailable`);
}
