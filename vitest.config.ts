import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One temp root per run, removed at the end (see the file).
    globalSetup: ['test/setup/temp-root.ts'],
  },
});
