/** The compliance register's evidence: collected results and uploaded files (their bytes in chunks). */
import { sql } from 'kysely';
import type { Db } from '../../platform/context.js';
import { type ChunkTable, readChunks, storeChunks } from '../../platform/files/chunks.js';
import { isoMicros } from '../../platform/sql.js';

const CHUNKS: ChunkTable = { table: 'compliance_evidence_chunks', key: 'evidence_id' };

const EVIDENCE = [
  'id',
  'control_id',
  'kind',
  'mapping_id',
  'source',
  'passed',
  'summary',
  'sha256',
  'by_label',
  'at',
  'file_name',
  'content_type',
  'size',
  isoMicros(sql.ref('at')).as('at_key'),
] as const;

/** An evidence row, without the collected result. */
export type EvidenceRow = Awaited<ReturnType<typeof evidencePage>>[number];

/** Stores evidence (its bytes, for an upload, follow with {@link storeEvidenceBytes}). */
export async function insertEvidence(
  db: Db,
  e: {
    controlId: string;
    kind: 'collected' | 'upload';
    mappingId?: string | null;
    source?: string | null;
    passed?: boolean | null;
    summary: string;
    result?: unknown;
    sha256: string;
    by: string;
    at?: Date;
    fileName?: string | null;
    contentType?: string | null;
    size?: number | null;
  },
) {
  return db
    .insertInto('compliance_evidence')
    .values({
      control_id: e.controlId,
      kind: e.kind,
      mapping_id: e.mappingId ?? null,
      source: e.source ?? null,
      passed: e.passed ?? null,
      summary: e.summary,
      result: e.result === undefined ? null : JSON.stringify(e.result),
      sha256: e.sha256,
      by_label: e.by,
      ...(e.at ? { at: e.at } : {}),
      file_name: e.fileName ?? null,
      content_type: e.contentType ?? null,
      size: e.size ?? null,
    })
    .returning(EVIDENCE)
    .executeTakeFirstOrThrow();
}

/** Stores an upload's bytes, chunk after chunk, in the caller's transaction. */
export async function storeEvidenceBytes(db: Db, evidenceId: string, chunks: AsyncIterable<Buffer>) {
  await storeChunks(db, CHUNKS, evidenceId, chunks);
}

/** An upload's bytes, chunk by chunk. */
export function evidenceChunks(db: Db, id: string): AsyncGenerator<Buffer> {
  return readChunks(db, CHUNKS, id);
}

/** The latest collected evidence of each mapping. */
export async function latestOf(db: Db, mappingIds: readonly string[]) {
  if (mappingIds.length === 0) return [];
  return db
    .selectFrom('compliance_evidence')
    .select(EVIDENCE)
    .distinctOn('mapping_id')
    .where('mapping_id', 'in', mappingIds)
    .orderBy('mapping_id')
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** A page of a control's evidence, newest first, after the cursor's (at, id). */
export async function evidencePage(db: Db, controlId: string, limit: number, after?: [string, string]) {
  let q = db.selectFrom('compliance_evidence').select(EVIDENCE).where('control_id', '=', controlId);
  if (after) q = q.where(sql<boolean>`(at, id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  return q.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** One piece of evidence of a control, with its collected result. */
export async function findEvidence(db: Db, controlId: string, id: string) {
  return db
    .selectFrom('compliance_evidence')
    .select([...EVIDENCE, 'result'])
    .where('control_id', '=', controlId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The evidence of a framework's controls in [from, to) (timestamps), with results, for an export. */
export async function evidenceOfPeriod(db: Db, frameworkId: string, from: string, to: string) {
  return db
    .selectFrom('compliance_evidence')
    .select([...EVIDENCE, 'result'])
    .where('control_id', 'in', (eb) =>
      eb.selectFrom('compliance_controls').select('id').where('framework_id', '=', frameworkId),
    )
    .where('at', '>=', sql<Date>`${from}::timestamptz`)
    .where('at', '<', sql<Date>`${to}::timestamptz`)
    .orderBy('at')
    .orderBy('id')
    .execute();
}
