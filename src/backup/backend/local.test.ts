import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendConformance } from './conformance.js';
import { LocalBackend } from './local.js';

backendConformance(
  'local',
  () => new LocalBackend(join(mkdtempSync(join(tmpdir(), 'steward-local-')), 'repo')),
  { largeSize: 8 * 1024 * 1024 },
);
