import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One temp root per run, removed at the end (see the file).
    globalSetup: ['test/setup/temp-root.ts'],
    // Generous per-test limits: the suite also runs on a loaded 2-core machine,
    // where a 5-second default fails healthy tests. Nothing here measures speed.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
