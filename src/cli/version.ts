import { readFileSync } from 'node:fs';

/** kreplay's own version, from package.json (the trace format version is `kreplay: 1`). */
export const KREPLAY_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
