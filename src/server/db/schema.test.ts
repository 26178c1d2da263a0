import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/support/db.js';
import type { Database } from './connect.js';
import { formattedSchema, generateSchema } from './schema-gen.js';

const file = fileURLToPath(new URL('./schema.ts', import.meta.url));

describe('db/schema.ts', () => {
  let d: Database;
  beforeAll(async () => {
    d = await freshDatabase();
  });
  afterAll(async () => {
    await d.close();
  });

  it('is what the migrated database generates (run `npm run db:schema` after changing a migration)', async () => {
    expect(await formattedSchema(d.db, file)).toBe(readFileSync(file, 'utf8'));
  });

  it('follows a change to the database: a new table, a nullable column, a default, a literal union', async () => {
    await sql`CREATE TABLE gen_probe (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      size bigint NOT NULL,
      note text,
      kind text NOT NULL CHECK (kind IN ('a', 'b''c')),
      seen timestamptz
    )`.execute(d.db);
    const text = await generateSchema(d.db);
    expect(text).toContain(
      [
        'export interface GenProbeTable {',
        '  id: Generated<string>;',
        '  size: ColumnType<string, number | string, number | string>;',
        '  note: string | null;',
        "  kind: 'a' | 'b\\'c';",
        '  seen: NullableTimestamp;',
        '}',
      ].join('\n'),
    );
    expect(text).toContain('  gen_probe: GenProbeTable;');
  });
});
