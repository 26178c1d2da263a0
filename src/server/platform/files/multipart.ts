/**
 * Uploads and downloads of stored files, for every module that keeps files (ticket attachments, article
 * images): reading a multipart upload into spooled files, and serving stored bytes with the headers that keep
 * a browser from running them.
 */
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError, Invalid } from '../errors.js';
import { spoolUpload, type Upload } from './spool.js';

/** What an upload route accepts: the largest file, where files are spooled, how many, and the other fields. */
export interface UploadRules<F extends z.ZodType> {
  maxBytes: number;
  dir: string;
  maxFiles: number;
  fields: F;
}

/**
 * Reads a multipart upload: `file` parts (up to `maxFiles`), each spooled to a temporary file under `dir`, and
 * the fields `fields` allows. Anything else, a file over the size limit, or a body that is not multipart is a
 * 4xx before any write, and leaves no file behind; on success the caller discards the uploads.
 */
export async function readUpload<F extends z.ZodType>(
  req: FastifyRequest,
  { maxBytes, dir, maxFiles, fields: schema }: UploadRules<F>,
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
        `send at most ${maxFiles} file${maxFiles === 1 ? '' : 's'} and the fields asked for`,
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

/** A stored file to send: its bytes in chunks, size, hash, and the type and disposition from `servingOf`. */
export interface StoredFile {
  data: AsyncIterable<Buffer>;
  size: number;
  sha256: string;
  type: string;
  disposition: string;
}

/** Sends a stored file with headers that keep it inert: no sniffing, a sandbox, private caching by hash. */
export function sendStoredFile(reply: FastifyReply, f: StoredFile): FastifyReply {
  return reply
    .header('Content-Type', f.type)
    .header('Content-Disposition', f.disposition)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Security-Policy', "default-src 'none'; sandbox")
    .header('Cache-Control', 'private, no-cache')
    .header('ETag', `"${f.sha256}"`)
    .header('Content-Length', String(f.size))
    .send(Readable.from(f.data));
}
