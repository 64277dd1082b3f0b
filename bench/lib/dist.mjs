/** The built library (dist/, built by `npm run bench`'s prebench): the benchmarks measure what users run. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DATA = fileURLToPath(new URL('../data/', import.meta.url));

if (!existsSync(new URL('../../dist/replay/kernel.js', import.meta.url))) {
  throw new Error('dist/ is missing: run `npm run build` (npm run bench does it for you)');
}

export const dist = (path) => import(new URL(`../../dist/${path}`, import.meta.url).href);
