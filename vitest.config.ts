import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // the web app's alias, for its unit tests that import values (not only types) from the contracts
  resolve: { alias: { '@contracts': fileURLToPath(new URL('src/contracts/index.ts', import.meta.url)) } },
  test: {
    include: ['src/**/*.test.ts', 'test/interop/**/*.test.ts', 'web/src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    maxWorkers: 2,
    reporters: ['default'],
  },
});
