import { z } from 'zod';

/** UUID path parameter shared by every `/:id` route. */
export const IdParams = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) });
export type IdParams = z.infer<typeof IdParams>;

/**
 * Cursor pagination query: an opaque `cursor` from the previous page and a `limit` (1–200, default 50). A
 * cursor may carry a name of 200 characters of three UTF-8 bytes each, base64: up to about 1,000 characters.
 */
export const PageQuery = z.strictObject({
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** A page of results: `nextCursor` is null on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** An RFC 9457 problem document with Steward's stable `code` and per-field messages. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof Problem>;

/** Trimmed single-line text of at most `max` characters (no control characters). */
export const Line = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(
      (s) => ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f),
      'must not contain control characters',
    );

/** An e-mail address, lower-cased, within RFC 5321's lengths (whole 254, local part 64, domain 255, label 63). */
export const Email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ message: 'must be an e-mail address' }))
  .refine(
    (s) => s.slice(0, s.lastIndexOf('@')).length <= 64,
    'the part before @ must be at most 64 characters',
  )
  .refine((s) => {
    const domain = s.slice(s.lastIndexOf('@') + 1);
    return domain.length <= 255 && domain.split('.').every((l) => l.length <= 63);
  }, 'each part of the domain must be at most 63 characters')
  .transform((s) => s.toLowerCase());

/** A password: 12 to 512 characters. */
export const Password = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(512, 'must be at most 512 characters');
