import { z } from 'zod';
import { Line } from './common.js';

const Day = z.iso.date({ message: 'must be a date, YYYY-MM-DD' });

/** Secret text: any characters but NUL, up to `max`. */
const SecretText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

/** How strong passwords are generated (server side, node:crypto). */
export const PasswordPolicy = z.strictObject({
  length: z.number().int().min(8).max(128).default(24),
  lowercase: z.boolean().default(true),
  uppercase: z.boolean().default(true),
  digits: z.boolean().default(true),
  symbols: z.boolean().default(true),
  /** Leaves out characters people mix up when reading aloud (0 O o 1 l I |). */
  avoidAmbiguous: z.boolean().default(false),
});
export type PasswordPolicy = z.infer<typeof PasswordPolicy>;

/** POST /api/v1/vault/generate. */
export const GeneratedPassword = z.object({ password: z.string() });
export type GeneratedPassword = z.infer<typeof GeneratedPassword>;

/**
 * PUT /api/v1/vault/:id/secret: a new version of a credential's secret (the first, or a rotation). Give the
 * password, or `generate` to have the server make one; the key and notes are kept from the previous version
 * unless given.
 */
export const SetSecret = z
  .strictObject({
    username: Line(200).nullable().optional(),
    password: SecretText(4096).optional(),
    generate: PasswordPolicy.optional(),
    privateKey: SecretText(65_536).nullable().optional(),
    notes: SecretText(20_000).nullable().optional(),
    reason: Line(500).optional(),
  })
  .refine((s) => !(s.password !== undefined && s.generate !== undefined), {
    message: 'give either a password or generate, not both',
    path: ['generate'],
  });
export type SetSecret = z.infer<typeof SetSecret>;

/** POST /api/v1/vault/:id/reveal: why (required, audited and shown on the item), and optionally an old version. */
export const RevealRequest = z.strictObject({
  reason: Line(500),
  version: z.number().int().min(1).optional(),
});
export type RevealRequest = z.infer<typeof RevealRequest>;

/** The one answer that carries a secret (never cached). */
export const RevealedSecret = z.object({
  version: z.number().int(),
  username: z.string().nullable(),
  password: z.string().nullable(),
  privateKey: z.string().nullable(),
  notes: z.string().nullable(),
});
export type RevealedSecret = z.infer<typeof RevealedSecret>;

/** POST /api/v1/vault/:id/versions/:version/restore: an earlier version becomes the newest again. */
export const RestoreVersion = z.strictObject({ reason: Line(500) });
export const VersionParams = z.strictObject({
  id: z.uuid({ message: 'must be a UUID' }),
  version: z.coerce.number().int().min(1).max(1_000_000),
});

/** PATCH /api/v1/vault/:id/settings: rotation. */
export const VaultSettings = z.strictObject({
  rotationDays: z.number().int().min(1).max(3650).nullable().optional(),
  rotationDue: Day.nullable().optional(),
  rotateAfterReveal: z.boolean().optional(),
});
export type VaultSettings = z.infer<typeof VaultSettings>;

export const ShareLevel = z.enum(['reveal', 'manage']);
export type ShareLevel = z.infer<typeof ShareLevel>;

/** PUT /api/v1/vault/:id/shares: the whole list of who may reveal (and manage) a credential. */
export const SetShares = z.strictObject({
  shares: z
    .array(
      z.union([
        z.strictObject({ userId: z.uuid(), level: ShareLevel }),
        z.strictObject({ teamId: z.uuid(), level: ShareLevel }),
      ]),
    )
    .max(200),
});
export type SetShares = z.infer<typeof SetShares>;

/** A vault entry as its item's page shows it: never the secret. */
export const VaultEntry = z.object({
  ciId: z.uuid(),
  name: z.string(),
  system: z.string().nullable(),
  username: z.string().nullable(),
  hasSecret: z.boolean(),
  currentVersion: z.number().int(),
  rotationDays: z.number().int().nullable(),
  rotationDue: z.string().nullable(),
  rotationOverdue: z.boolean(),
  rotateAfterReveal: z.boolean(),
  canReveal: z.boolean(),
  canManage: z.boolean(),
  shares: z.array(
    z.object({
      userId: z.uuid().nullable(),
      teamId: z.uuid().nullable(),
      name: z.string(),
      level: ShareLevel,
    }),
  ),
  reveals: z.array(
    z.object({ by: z.string(), at: z.string(), reason: z.string(), version: z.number().int() }),
  ),
  versions: z.array(
    z.object({ version: z.number().int(), by: z.string(), at: z.string(), reason: z.string() }),
  ),
  version: z.number().int(),
});
export type VaultEntry = z.infer<typeof VaultEntry>;

/** GET /api/v1/vault: the caller's passwords (shared with them or their teams). */
export const VaultListItem = z.object({
  ciId: z.uuid(),
  name: z.string(),
  system: z.string().nullable(),
  username: z.string().nullable(),
  currentVersion: z.number().int(),
  rotationDue: z.string().nullable(),
  rotationOverdue: z.boolean(),
  level: ShareLevel,
});
export type VaultListItem = z.infer<typeof VaultListItem>;
export const VaultList = z.object({ items: z.array(VaultListItem) });

/** The password managers whose CSV exports Steward reads (detected by the header row). */
export const ImportFormat = z.enum(['bitwarden', 'keepass', '1password']);
export type ImportFormat = z.infer<typeof ImportFormat>;

/** POST /api/v1/vault/import: a CSV export; `dryRun` only says what would happen. */
export const VaultImport = z.strictObject({
  csv: z.string().min(1).max(5_000_000),
  dryRun: z.boolean().default(true),
  /** The CMDB class of the new items (a class of kind credential; default `credential`). */
  classKey: z.string().max(40).default('credential'),
});
export type VaultImport = z.infer<typeof VaultImport>;

/** What an import did (or, in a dry run, would do), row by row; never a secret. */
export const VaultImportResult = z.object({
  format: ImportFormat,
  dryRun: z.boolean(),
  created: z.number().int(),
  skipped: z.number().int(),
  rows: z.array(
    z.object({
      line: z.number().int(),
      name: z.string(),
      system: z.string(),
      username: z.string().nullable(),
      action: z.enum(['create', 'skip']),
      why: z.string().nullable(),
    }),
  ),
});
export type VaultImportResult = z.infer<typeof VaultImportResult>;
