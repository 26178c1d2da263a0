import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ArticleImage, ArticleImageParams, IdParams, Problem } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { readUpload, sendStoredFile } from '../../platform/files/multipart.js';
import { actorOf, type App } from '../../platform/http.js';
import { addImage, IMAGE_MAX_BYTES, imageFile, listImages, removeImage } from './images.service.js';

/** /api/v1/kb/articles/:id/images: images in articles, behind the article's visibility. */
export async function imageRoutes(app: App, ctx: Ctx, uploadDir: string): Promise<void> {
  await app.register(async (plain) => {
    // the multipart parser for these routes only (JSON everywhere else)
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    await scope.register(multipart, {
      limits: { fileSize: IMAGE_MAX_BYTES, files: 1, fields: 0, parts: 1 },
    });
    const tags = ['knowledge'];
    scope.post(
      '/api/v1/kb/articles/:id/images',
      {
        schema: {
          tags,
          summary:
            'Add an image to an article (multipart/form-data, one `file`: PNG, JPEG, GIF or WebP, 5 MiB)',
          consumes: ['multipart/form-data'],
          params: IdParams,
          response: {
            201: ArticleImage,
            400: Problem,
            404: Problem,
            409: Problem,
            413: Problem,
            415: Problem,
          },
        },
      },
      async (req, reply) => {
        const { uploads } = await readUpload(req, {
          maxBytes: IMAGE_MAX_BYTES,
          dir: uploadDir,
          maxFiles: 1,
          fields: z.strictObject({}),
        });
        try {
          return await reply.code(201).send(await addImage(ctx, actorOf(req), req.params.id, uploads));
        } finally {
          await Promise.all(uploads.map((u) => u.discard()));
        }
      },
    );
    scope.get(
      '/api/v1/kb/articles/:id/images',
      {
        schema: {
          tags,
          summary: 'The images of an article (authors)',
          params: IdParams,
          response: { 200: z.object({ items: z.array(ArticleImage) }), 404: Problem },
        },
      },
      async (req) => ({ items: await listImages(ctx, actorOf(req), req.params.id) }),
    );
    scope.get(
      '/api/v1/kb/articles/:id/images/:imageId',
      {
        schema: {
          tags,
          summary: 'An image of an article (readers: only those its published text shows)',
          params: ArticleImageParams,
          response: { 200: z.unknown().describe('the image'), 404: Problem },
        },
      },
      async (req, reply) =>
        sendStoredFile(reply, await imageFile(ctx, actorOf(req), req.params.id, req.params.imageId)),
    );
    scope.delete(
      '/api/v1/kb/articles/:id/images/:imageId',
      {
        schema: {
          tags,
          summary: 'Delete an image of an article (authors; 409 while a kept version of the text shows it)',
          params: ArticleImageParams,
          response: { 204: z.null().describe('Done'), 404: Problem, 409: Problem },
        },
      },
      async (req, reply) => {
        await removeImage(ctx, actorOf(req), req.params.id, req.params.imageId);
        return reply.code(204).send(null);
      },
    );
  });
}
