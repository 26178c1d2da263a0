import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Attachment, AttachmentList, AttachmentParams, IdParams, Problem } from '../../../contracts/index.js';
import { actorOf, type App } from '../../platform/http.js';
import type { Deps } from '../deps.js';
import {
  addAttachments,
  deleteAttachment,
  downloadAttachment,
  getAttachment,
  listAttachments,
} from './attachments.service.js';
import { readUpload, sendStoredFile } from '../../platform/files/multipart.js';

/** Files one upload may carry. */
const MAX_FILES = 10;

const UploadFields = z.strictObject({
  commentId: z.uuid().optional(),
  internal: z.enum(['true', 'false']).optional(),
});

/** /api/v1/tickets/:id/attachments: files on tickets, behind the ticket's visibility. */
export async function attachmentRoutes(app: App, { ctx, attachments: limits }: Deps): Promise<void> {
  const totals = { ticketBytes: limits.ticketTotalBytes, userBytes: limits.userTotalBytes };
  await app.register(async (plain) => {
    // A scope of its own: the multipart parser applies to these routes only (JSON everywhere else).
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    await scope.register(multipart, {
      limits: {
        fileSize: limits.maxBytes,
        files: MAX_FILES,
        fields: 2,
        parts: MAX_FILES + 2,
        fieldSize: 200,
      },
    });
    const tags = ['tickets'];
    scope.post(
      '/api/v1/tickets/:id/attachments',
      {
        schema: {
          tags,
          summary:
            'Attach files (multipart/form-data: one or more `file` parts; optional `commentId`, `internal`)',
          consumes: ['multipart/form-data'],
          params: IdParams,
          response: {
            201: AttachmentList,
            400: Problem,
            403: Problem,
            404: Problem,
            409: Problem,
            413: Problem,
            415: Problem,
          },
        },
      },
      async (req, reply) => {
        const { uploads, fields } = await readUpload(req, {
          maxBytes: limits.maxBytes,
          dir: limits.uploadDir,
          maxFiles: MAX_FILES,
          fields: UploadFields,
        });
        try {
          const items = await addAttachments(ctx, actorOf(req), req.params.id, uploads, {
            commentId: fields.commentId,
            internal: fields.internal === undefined ? undefined : fields.internal === 'true',
            totals,
          });
          return await reply.code(201).send({ items });
        } finally {
          await Promise.all(uploads.map((u) => u.discard()));
        }
      },
    );
    scope.get(
      '/api/v1/tickets/:id/attachments',
      {
        schema: {
          tags,
          summary: 'The attachments of a ticket',
          params: IdParams,
          response: { 200: AttachmentList, 404: Problem },
        },
      },
      async (req) => ({ items: await listAttachments(ctx, actorOf(req), req.params.id) }),
    );
    scope.get(
      '/api/v1/tickets/:id/attachments/:attachmentId',
      {
        schema: {
          tags,
          summary: 'One attachment (metadata)',
          params: AttachmentParams,
          response: { 200: Attachment, 404: Problem },
        },
      },
      async (req) => getAttachment(ctx, actorOf(req), req.params.id, req.params.attachmentId),
    );
    scope.get(
      '/api/v1/tickets/:id/attachments/:attachmentId/content',
      {
        schema: {
          tags,
          summary:
            'Download an attachment (scriptable types only ever as application/octet-stream downloads)',
          params: AttachmentParams,
          response: { 200: z.unknown().describe('the file'), 404: Problem },
        },
      },
      async (req, reply) => {
        const f = await downloadAttachment(ctx, actorOf(req), req.params.id, req.params.attachmentId);
        return sendStoredFile(reply, f);
      },
    );
    scope.delete(
      '/api/v1/tickets/:id/attachments/:attachmentId',
      {
        schema: {
          tags,
          summary: 'Delete an attachment (its uploader, or an agent)',
          params: AttachmentParams,
          response: { 204: z.null().describe('Deleted'), 403: Problem, 404: Problem, 409: Problem },
        },
      },
      async (req, reply) => {
        await deleteAttachment(ctx, actorOf(req), req.params.id, req.params.attachmentId);
        return reply.code(204).send(null);
      },
    );
  });
}
