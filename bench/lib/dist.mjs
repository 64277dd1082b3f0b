/**
 * The built library (dist/, built by `npm run bench`'s prebench): the benchmarks measure what
 * users run. KREPLAY_BENCH_ROOT names another checkout whose dist/ to measure instead
 * (bench/compare.mjs: every checkout measured by the same worker).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DATA = fileURLToPath(new URL('../data/', import.meta.url));

const base = process.env.KREPLAY_BENCH_ROOT ? pathToFileURL(process.env.KREPLAY_BENCH_ROOT.replace(/\/?$/, '/')) : new URL('../../', import.meta.url);

if (!existsSync(new URL('dist/replay/kernel.js', base))) {
  throw new Error(`${fileURLToPath(base)}dist/ is missing: run \`npm run build\` (npm run bench does it for you)`);
}

export const dist = (path) => import(new URL(`dist/${path}`, base).href);
