/**
 * Stored files' bytes in chunks (migration 0022): written one chunk at a time while an upload is read, and
 * read back one query per chunk, so that no file is ever held whole in memory. Each owning module keeps its
 * own chunk table (tickets: ticket_attachment_chunks; knowledge: kb_image_chunks; compliance:
 * compliance_evidence_chunks) and calls these from its
 * repository with it.
 */
import { sql } from 'kysely';
import type { Db } from '../context.js';

/** A chunk table and the column naming the file a chunk belongs to. */
export type ChunkTable =
  | { table: 'ticket_attachment_chunks'; key: 'attachment_id' }
  | { table: 'kb_image_chunks'; key: 'image_id' }
  | { table: 'compliance_evidence_chunks'; key: 'evidence_id' };

/** Stores a file's bytes, chunk after chunk, in the caller's transaction. */
export async function storeChunks(
  db: Db,
  t: ChunkTable,
  fileId: string,
  chunks: AsyncIterable<Buffer>,
): Promise<void> {
  let seq = 0;
  for await (const data of chunks)
    await sql`INSERT INTO ${sql.table(t.table)} (${sql.ref(t.key)}, seq, data)
      VALUES (${fileId}, ${seq++}, ${data})`.execute(db);
}

/** A file's bytes, chunk by chunk (one query each). */
export async function* readChunks(db: Db, t: ChunkTable, fileId: string): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const r = await sql<{ data: Buffer }>`SELECT data FROM ${sql.table(t.table)}
      WHERE ${sql.ref(t.key)} = ${fileId} AND seq = ${seq}`.execute(db);
    const row = r.rows[0];
    if (!row) return;
    yield row.data;
  }
}
