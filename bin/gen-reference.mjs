#!/usr/bin/env node
// Writes docs/reference.md from the op registry (dist/, so run `npm run build` first; the
// gen:reference script does). test/reducer/reference.test.ts fails when the page is stale.
import { writeFileSync } from 'node:fs';
import { opReference } from '../dist/reducer/reference.js';

writeFileSync(new URL('../docs/reference.md', import.meta.url), opReference());
