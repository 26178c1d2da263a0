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
    // Test files share their worker process (two of them): the server's modules are imported and PGlite's
    // WebAssembly compiled once per worker, not once per file, which halves the suite's time. Files may not
    // leave process-wide state behind (there is none in the server: no registries, no module state set at
    // import); a file that changes process.env restores it.
    isolate: false,
    globalSetup: ['test/support/global-setup.ts'],
    maxWorkers: 2,
    reporters: ['default'],
  },
});
