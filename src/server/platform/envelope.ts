import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from './errors.js';

/**
 * Envelope encryption of secrets at rest (storage credentials, repository passwords, later the vault): each
 * secret is encrypted with a data key of its own (AES-256-GCM), and the data key is sealed by a key-encryption
 * key derived from the server master key for this purpose (`MasterKey.derive('secrets')`). The master key never
 * enters the database or a log. `context` binds a sealed value to where it belongs (e.g. `backup_target:<id>`): a
 * value copied into another row does not open there.
 *
 * Sealed form: `v1.<sealed data key>.<iv>.<ciphertext+tag>`, each part base64url. Rotating the master key
 * re-seals only the data keys ({@link SecretBox.reseal}).
 */
export interface SecretBox {
  seal(plaintext: string, context: string): string;
  /** Throws {@link SecretUnreadable} when the value was sealed under another key or for another context. */
  open(sealed: string, context: string): string;
  /** The same secret sealed under `next` (key rotation): the data key is re-wrapped, the data untouched. */
  reseal(sealed: string, context: string, next: SecretBox): string;
}

const VERSION = 'v1';
const b64 = (b: Buffer) => b.toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url');

/** A sealed value that cannot be opened (wrong master key, tampered, or moved to another context). */
export const SecretUnreadable = (detail: string) =>
  new AppError(500, 'secret_unreadable', 'Secret unreadable', detail);

function gcm(key: Buffer, iv: Buffer, data: Buffer, aad: string): Buffer {
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  return Buffer.concat([c.update(data), c.final(), c.getAuthTag()]);
}

function ungcm(key: Buffer, iv: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < 16) throw new Error('too short');
  const d = createDecipheriv('aes-256-gcm', key, iv);
  d.setAAD(Buffer.from(aad, 'utf8'));
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
}

/** How each box made here seals a data key, so that {@link SecretBox.reseal} can re-wrap without decrypting. */
const wrappers = new WeakMap<SecretBox, (dataKey: Buffer, context: string) => string>();

/** A {@link SecretBox} whose data keys are sealed by `kek` (32 bytes, derived from the master key). */
export function secretBox(kek: Buffer): SecretBox {
  if (kek.length !== 32) throw new Error('the key-encryption key must be 32 bytes');
  const wrap = (dataKey: Buffer, context: string) => {
    const iv = randomBytes(12);
    return `${b64(iv)}~${b64(gcm(kek, iv, dataKey, `dk:${context}`))}`;
  };
  const unwrap = (wrapped: string, context: string) => {
    const [iv = '', key = ''] = wrapped.split('~');
    return ungcm(kek, unb64(iv), unb64(key), `dk:${context}`);
  };
  const parts = (sealed: string) => {
    const p = sealed.split('.');
    if (p.length !== 4 || p[0] !== VERSION) throw SecretUnreadable('not a sealed secret');
    return { wrapped: p[1]!, iv: p[2]!, data: p[3]! };
  };
  const box: SecretBox = {
    seal(plaintext, context) {
      const dataKey = randomBytes(32);
      const iv = randomBytes(12);
      const data = gcm(dataKey, iv, Buffer.from(plaintext, 'utf8'), context);
      return [VERSION, wrap(dataKey, context), b64(iv), b64(data)].join('.');
    },
    open(sealed, context) {
      const p = parts(sealed);
      try {
        return ungcm(unwrap(p.wrapped, context), unb64(p.iv), unb64(p.data), context).toString('utf8');
      } catch {
        throw SecretUnreadable(
          `a stored secret (${context}) cannot be opened: the master key differs from the one that sealed it`,
        );
      }
    },
    reseal(sealed, context, next) {
      const p = parts(sealed);
      let dataKey: Buffer;
      try {
        dataKey = unwrap(p.wrapped, context);
      } catch {
        throw SecretUnreadable(`a stored secret (${context}) cannot be opened with the current master key`);
      }
      const rewrap = wrappers.get(next);
      if (!rewrap) return next.seal(box.open(sealed, context), context);
      return [VERSION, rewrap(dataKey, context), p.iv, p.data].join('.');
    },
  };
  wrappers.set(box, wrap);
  return box;
}
