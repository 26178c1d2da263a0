/**
 * Error classes of the backup engine. Callers (CLI, server) tell failures apart by class, never by message text.
 */

/** Stored bytes do not match their MAC or their content hash: corruption or tampering. */
export class IntegrityError extends Error {
  override readonly name = 'IntegrityError';
}

/** Stored bytes decrypted fine but are not in the restic format (bad JSON, unknown version, bad header). */
export class FormatError extends Error {
  override readonly name = 'FormatError';
}

/** No key file of the repository opens with the given password. */
export class WrongPasswordError extends Error {
  override readonly name = 'WrongPasswordError';
  constructor(message = 'wrong password or no key found') {
    super(message);
  }
}

/** A blob is referenced but not listed in any index. */
export class BlobNotFoundError extends Error {
  override readonly name = 'BlobNotFoundError';
  constructor(
    readonly blobType: string,
    readonly id: string,
  ) {
    super(`${blobType} blob ${id} not found in index`);
  }
}

/** A snapshot reference (id prefix or `latest`) matches nothing, or more than one snapshot. */
export class SnapshotNotFoundError extends Error {
  override readonly name = 'SnapshotNotFoundError';
}

/** The message of anything thrown. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
