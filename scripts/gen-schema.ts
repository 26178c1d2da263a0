/**
 * `npm run db:schema`: migrates a fresh embedded database and writes src/server/db/schema.ts from it.
 * `--check` only compares and exits 1 when the checked-in file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createPglite, openDatabase } from '../src/server/db/connect.js';
import { migrate } from '../src/server/db/migrate.js';
import { formattedSchema } from '../src/server/db/schema-gen.js';

const file = fileURLToPath(new URL('../src/server/db/schema.ts', import.meta.url));
const d = await openDatabase({ dataDir: '', pglite: await createPglite() });
try {
  await migrate(d.db);
  const text = await formattedSchema(d.db, file);
  if (process.argv.includes('--check')) {
    if (readFileSync(file, 'utf8') !== text) {
      process.stderr.write('src/server/db/schema.ts is stale: run npm run db:schema\n');
      process.exitCode = 1;
    }
  } else writeFileSync(file, text);
} finally {
  await d.close();
}
