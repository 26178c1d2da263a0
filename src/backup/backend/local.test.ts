import { join } from 'node:path';
import { afterAll } from 'vitest';
import { removeTempDirs, tempDir } from '../testkit.js';
import { backendConformance } from './conformance.js';
import { LocalBackend } from './local.js';

afterAll(removeTempDirs);

backendConformance('local', () => new LocalBackend(join(tempDir('steward-local-'), 'repo')), {
  largeSize: 8 * 1024 * 1024,
});
