/**
 * Images in articles, stored like ticket attachments (the platform's files layer: spooled uploads, the type
 * sniffed from the bytes, chunks in the database) and served behind the article's visibility: authors see
 * every image of an article they may see; readers only those its published text shows. 404 otherwise.
 */
import type { ArticleImage } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, Conflict, Invalid, NotFound } from '../../platform/errors.js';
import type { StoredFile } from '../../platform/files/multipart.js';
import { safeFileName, servingOf, sniffContentType } from '../../platform/files/sniff.js';
import type { Upload } from '../../platform/files/spool.js';
import { allows, type Actor, can } from '../../platform/permissions.js';
import * as images from './images.repository.js';
import * as repo from './knowledge.repository.js';
import { visibleArticle } from './knowledge.service.js';
import { articleKey } from './view.js';

/** The largest image an article takes. */
export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
/** What an article shows: pictures a browser draws and cannot run (no SVG). */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

const urlOf = (articleId: string, id: string) => `/api/v1/kb/articles/${articleId}/images/${id}`;

function view(r: images.ImageRow): ArticleImage {
  const url = urlOf(r.article_id, r.id);
  const alt = r.file_name.replace(/\.[^.]+$/, '').replace(/[[\]\\]/g, '');
  return {
    id: r.id,
    fileName: r.file_name,
    contentType: r.content_type,
    size: r.size,
    url,
    markdown: `![${alt}](${url})`,
    createdAt: r.created_at.toISOString(),
  };
}

/** Adds an image to an article an author may edit (not retired): its type from its bytes, 5 MiB at most. */
export async function addImage(ctx: Ctx, actor: Actor, articleId: string, uploads: readonly Upload[]) {
  can(actor, 'kb:write');
  await visibleArticle(ctx.db, actor, articleId);
  const u = uploads[0];
  if (!u || uploads.length > 1)
    throw Invalid('send one image', [{ path: 'body.file', message: 'exactly one file' }]);
  const fileName = safeFileName(u.fileName);
  const type = sniffContentType(u.head, fileName);
  if (!IMAGE_TYPES.has(type))
    throw new AppError(
      415,
      'not_an_image',
      'Not an image',
      `the file is ${type}; an article takes PNG, JPEG, GIF or WebP images`,
    );
  if (u.size > IMAGE_MAX_BYTES)
    throw new AppError(413, 'image_too_large', 'Image too large', `an image may be at most 5 MiB`);
  return ctx.tx(async (db) => {
    const a = await visibleArticle(db, actor, articleId, true);
    if (a.status === 'retired') throw Conflict('a retired article takes no images', 'not_editable');
    const row = await images.insertImage(
      db,
      {
        articleId,
        fileName,
        contentType: type,
        size: u.size,
        sha256: u.sha256,
        uploaderId: actor.userId,
        uploaderLabel: actor.label,
      },
      u.chunks(),
    );
    await record(db, actor, 'kb.image_added', { type: 'kb_article', id: articleId }, null, {
      imageId: row.id,
      fileName,
      size: u.size,
      contentType: type,
      sha256: u.sha256,
    });
    return view(row);
  });
}

/** Numbers as people read them: "1", "1 and 3", "1, 2 and 4". */
function listed(ns: readonly number[]): string {
  return ns.length < 2 ? ns.join('') : `${ns.slice(0, -1).join(', ')} and ${ns[ns.length - 1]}`;
}

/**
 * Deletes an image of an article an author may edit (not retired), with its bytes, audited: refused (409)
 * while any kept version of the text shows it, since every version must stay readable. The article is
 * locked, so of two parallel deletes one deletes and the other finds nothing (404).
 */
export async function removeImage(ctx: Ctx, actor: Actor, articleId: string, id: string): Promise<void> {
  can(actor, 'kb:write');
  await ctx.tx(async (db) => {
    const a = await visibleArticle(db, actor, articleId, true);
    const img = await images.findImage(db, articleId, id);
    if (!img) throw NotFound('image');
    if (a.status === 'retired') throw Conflict('a retired article keeps its images', 'not_editable');
    const url = urlOf(articleId, id);
    const using = (await repo.versionsOf(db, articleId))
      .filter((v) => `${v.title}\n${v.body}\n${v.workaround}`.includes(url))
      .map((v) => v.version)
      .sort((x, y) => x - y);
    if (using.length) {
      const published = a.published_version && using.includes(a.published_version) ? ' (published)' : '';
      throw Conflict(
        `“${img.file_name}” is shown in version${using.length > 1 ? 's' : ''} ${listed(using)}${published} of ${articleKey(a.number)}; every version must stay readable, so the image stays`,
        'image_in_use',
      );
    }
    if (!(await images.deleteImage(db, articleId, id))) throw NotFound('image');
    await record(db, actor, 'kb.image_deleted', { type: 'kb_article', id: articleId }, null, {
      imageId: id,
      fileName: img.file_name,
      size: img.size,
      contentType: img.content_type,
      sha256: img.sha256,
    });
  });
}

/** The images of an article (authors). */
export async function listImages(ctx: Ctx, actor: Actor, articleId: string): Promise<ArticleImage[]> {
  can(actor, 'kb:write');
  await visibleArticle(ctx.db, actor, articleId);
  return (await images.imagesOf(ctx.db, articleId)).map(view);
}

/** An image's bytes for the caller, if they may see the article and (readers) its published text shows it. */
export async function imageFile(ctx: Ctx, actor: Actor, articleId: string, id: string): Promise<StoredFile> {
  const a = await visibleArticle(ctx.db, actor, articleId);
  const img = await images.findImage(ctx.db, articleId, id);
  if (!img) throw NotFound('image');
  if (!allows(actor, 'kb:write')) {
    const [text] = a.published_version ? await repo.versionsOf(ctx.db, articleId, [a.published_version]) : [];
    if (!text || !`${text.body}\n${text.workaround}`.includes(urlOf(articleId, id))) throw NotFound('image');
  }
  return {
    data: images.imageChunks(ctx.db, id),
    size: img.size,
    sha256: img.sha256,
    ...servingOf(img.content_type, img.file_name),
  };
}
