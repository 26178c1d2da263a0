import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Attachment, AttachmentList, AttachmentParams, IdParams, Problem } from '../../../contracts/index.js';
import { AppError, Invalid } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import type { Deps } from '../deps.js';
import {
  addAttachments,
  deleteAttachment,
  downloadAttachment,
  getAttachment,
  listAttachments,
} from './attachments.service.js';
import { spoolUpload, type Upload } from './attachments.spool.js';

/** Files one upload may carry. */
const MAX_FILES = 10;

const UploadFields = z.strictObject({
  commentId: z.uuid().optional(),
  internal: z.enum(['true', 'false']).optional(),
});

/**
 * Reads a multipart upload: `file` parts (one or more), each spooled to a temporary file under `dir`, and the
 * fields `schema` allows (for tickets: the optional `commentId` and `internal`). Anything else, a file over the
 * size limit, or a body that is not multipart is a 4xx before any write, and leaves no file behind; on success
 * the caller discards the uploads. The compliance register's evidence uploads read theirs with it too.
 */
export async function readUpload<F extends z.ZodType = typeof UploadFields>(
  req: FastifyRequest,
  maxBytes: number,
  dir: string,
  schema: F = UploadFields as unknown as F,
): Promise<{ uploads: Upload[]; fields: z.infer<F> }> {
  if (!req.isMultipart()) {
    throw new AppError(415, 'unsupported_media_type', 'Unsupported media type', 'send multipart/form-data');
  }
  const uploads: Upload[] = [];
  const fields: Record<string, string> = {};
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          throw Invalid('unexpected file field', [
            { path: `body.${part.fieldname}`, message: 'send files as "file"' },
          ]);
        }
        uploads.push(await spoolUpload(part.filename, part.file, dir));
      } else {
        if (part.fieldname in fields) {
          throw Invalid('repeated field', [{ path: `body.${part.fieldname}`, message: 'give it once' }]);
        }
        fields[part.fieldname] = typeof part.value === 'string' ? part.value : String(part.value);
      }
    }
  } catch (e) {
    await Promise.all(uploads.map((u) => u.discard()));
    // Only parsing happens in this loop: an error that is not ours is a broken body, never a server fault.
    if (e instanceof AppError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError(
        413,
        'attachment_too_large',
        'Attachment too large',
        `a file may be at most ${maxBytes} bytes`,
      );
    }
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw new AppError(
        413,
        'too_many_parts',
        'Too many parts',
        `send at most ${MAX_FILES} files and the fields`,
      );
    }
    throw Invalid(`malformed multipart body: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = schema.safeParse(fields);
  if (!parsed.success) {
    await Promise.all(uploads.map((u) => u.discard()));
    throw Invalid(
      'invalid upload fields',
      parsed.error.issues.map((i) => ({
        path: ['body', ...i.path.map(String)].join('.'),
        message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
      })),
    );
  }
  return { uploads, fields: parsed.data };
}

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
        const { uploads, fields } = await readUpload(req, limits.maxBytes, limits.uploadDir);
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
        return reply
          .header('Content-Type', f.type)
          .header('Content-Disposition', f.disposition)
          .header('X-Content-Type-Options', 'nosniff')
          .header('Content-Security-Policy', "default-src 'none'; sandbox")
          .header('Cache-Control', 'private, no-cache')
          .header('ETag', `"${f.sha256}"`)
          .header('Content-Length', String(f.size))
          .send(Readable.from(f.data));
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
