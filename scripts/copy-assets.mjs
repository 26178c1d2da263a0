#!/usr/bin/env node
// Copies the non-TypeScript files the server needs at run time (SQL migrations) next to the compiled code.
import { cpSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
cpSync(join(root, 'src/server/db/migrations'), join(root, 'dist/server/db/migrations'), { recursive: true });
// The control sets the compliance register ships (read at run time by compliance/import.ts).
cpSync(
  join(root, 'src/server/modules/compliance/frameworks'),
  join(root, 'dist/server/modules/compliance/frameworks'),
  { recursive: true },
);
