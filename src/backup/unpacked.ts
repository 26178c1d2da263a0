/**
 * "Unpacked" files (index, snapshot, lock): one encrypted object per file, id = sha256 of the stored bytes.
 * v1 plaintext is JSON; v2 plaintext is 0x02 || zstd(JSON), and raw JSON starting with `{` or `[` is still accepted.
 */
import type { Backend, FileType } from './backend/backend.js';
import { decrypt, encrypt, sha256Hex, type MasterKey } from './crypto.js';
import { FormatError, IntegrityError } from './errors.js';
import { zstdCompress, zstdDecompress } from './zstd.js';

/** Kinds of unpacked file. */
export type UnpackedType = Extract<FileType, 'index' | 'snapshot' | 'lock'>;

/** The plaintext to encrypt for a JSON document in a repository of `version`. */
export function encodeUnpackedPlaintext(version: 1 | 2, json: Uint8Array): Buffer {
  if (version === 1) return Buffer.from(json);
  const z = zstdCompress(json);
  const out = Buffer.allocUnsafe(z.length + 1);
  out[0] = 2;
  z.copy(out, 1);
  return out;
}

/** The JSON document inside a decrypted unpacked file; throws {@link FormatError} on an unknown leading byte. */
export function decodeUnpackedPlaintext(plain: Buffer): Buffer {
  const first = plain[0];
  if (first === 0x7b || first === 0x5b) return plain; // '{' or '['
  if (first === 2) return zstdDecompress(plain.subarray(1));
  throw new FormatError(
    `unsupported unpacked file encoding (first byte ${first === undefined ? 'none' : `0x${first.toString(16)}`})`,
  );
}

/** Encrypts, stores and returns the id of an unpacked file. */
export async function saveUnpacked(
  backend: Backend,
  key: MasterKey,
  version: 1 | 2,
  type: UnpackedType,
  json: string | Uint8Array,
): Promise<string> {
  const bytes = encrypt(
    key,
    encodeUnpackedPlaintext(version, typeof json === 'string' ? Buffer.from(json) : json),
  );
  const id = sha256Hex(bytes);
  await backend.save({ type, name: id }, bytes);
  return id;
}

/** Loads an unpacked file, checks that its bytes hash to its name, decrypts and returns the JSON bytes. */
export async function loadUnpacked(
  backend: Backend,
  key: MasterKey,
  type: UnpackedType,
  id: string,
): Promise<Buffer> {
  const bytes = await backend.load({ type, name: id });
  if (sha256Hex(bytes) !== id) throw new IntegrityError(`${type} ${id}: content does not match its id`);
  return decodeUnpackedPlaintext(decrypt(key, bytes));
}
