/** SQL of images in articles: the knowledge module owns kb_images and kb_image_chunks. */
import type { Db } from '../../platform/context.js';
import { type ChunkTable, readChunks, storeChunks } from '../../platform/files/chunks.js';

const CHUNKS: ChunkTable = { table: 'kb_image_chunks', key: 'image_id' };
const META = [
  'id',
  'article_id',
  'file_name',
  'content_type',
  'size',
  'sha256',
  'uploader_id',
  'uploader_label',
  'created_at',
] as const;

/** Stores an image's metadata and its bytes. */
export async function insertImage(
  db: Db,
  v: {
    articleId: string;
    fileName: string;
    contentType: string;
    size: number;
    sha256: string;
    uploaderId: string | null;
    uploaderLabel: string;
  },
  chunks: AsyncIterable<Buffer>,
) {
  const row = await db
    .insertInto('kb_images')
    .values({
      article_id: v.articleId,
      file_name: v.fileName,
      content_type: v.contentType,
      size: v.size,
      sha256: v.sha256,
      uploader_id: v.uploaderId,
      uploader_label: v.uploaderLabel,
    })
    .returning(META)
    .executeTakeFirstOrThrow();
  await storeChunks(db, CHUNKS, row.id, chunks);
  return row;
}
export type ImageRow = Awaited<ReturnType<typeof insertImage>>;

/** The images of an article, oldest first. */
export async function imagesOf(db: Db, articleId: string): Promise<ImageRow[]> {
  return db
    .selectFrom('kb_images')
    .select(META)
    .where('article_id', '=', articleId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** One image of an article. */
export async function findImage(db: Db, articleId: string, id: string): Promise<ImageRow | undefined> {
  return db
    .selectFrom('kb_images')
    .select(META)
    .where('article_id', '=', articleId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** An image's bytes, chunk by chunk. */
export function imageChunks(db: Db, id: string): AsyncGenerator<Buffer> {
  return readChunks(db, CHUNKS, id);
}

/** Deletes an image of an article and its bytes; false when it is gone already. */
export async function deleteImage(db: Db, articleId: string, id: string): Promise<boolean> {
  await db.deleteFrom('kb_image_chunks').where('image_id', '=', id).execute();
  const r = await db
    .deleteFrom('kb_images')
    .where('article_id', '=', articleId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}
