import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI tests spawn `node bin/kreplay`; fuzz campaigns run many replays.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
