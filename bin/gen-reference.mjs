#!/usr/bin/env node
// Writes docs/reference.md from the op registry, the schemas, the reason tables and the
// invariants (src/doc/reference.ts, built into dist/ first: `npm run gen:reference` builds).
// Usage: node bin/gen-reference.mjs [--check]   (--check: exit 1 when the file is stale)
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const { referenceMarkdown } = await import(new URL('dist/doc/reference.js', root).href);
const target = new URL('docs/reference.md', root);
const text = referenceMarkdown();
if (process.argv.includes('--check')) {
  let old = '';
  try {
    old = readFileSync(target, 'utf8');
  } catch {}
  if (old !== text) {
    console.error('docs/reference.md is stale: run npm run gen:reference');
    process.exit(1);
  }
} else writeFileSync(target, text);
