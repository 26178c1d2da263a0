/**
 * restic's authenticated encryption: AES-256-CTR, then Poly1305-AES over the ciphertext.
 * Stored form of every object: IV(16) || ciphertext || MAC(16).
 */
import { createCipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { poly1305 } from './poly1305.js';
import { FormatError, IntegrityError } from './errors.js';

/** The repository master key (shared by every key file): AES-256 key plus Poly1305-AES key parts. */
export interface MasterKey {
  /** 32-byte AES-256 key for CTR encryption. */
  readonly encrypt: Buffer;
  /** 16-byte AES-128 key that encrypts the IV into the Poly1305 "s" half. */
  readonly macK: Buffer;
  /** 16-byte Poly1305 r (clamped by poly1305 itself, so stored values may be masked or not). */
  readonly macR: Buffer;
}

/** Bytes added by {@link encrypt}: IV + MAC. */
export const CRYPTO_OVERHEAD = 32;
const IV_SIZE = 16;
const MAC_SIZE = 16;

/** A fresh random master key, for `init`. */
export function newMasterKey(): MasterKey {
  const b = randomBytes(64);
  return { encrypt: b.subarray(0, 32), macK: b.subarray(32, 48), macR: b.subarray(48, 64) };
}

/** Builds a key from the 64 bytes scrypt derives from a password: [0:32] AES, [32:48] mac.k, [48:64] mac.r. */
export function keyFromBytes(b: Uint8Array): MasterKey {
  if (b.length !== 64) throw new FormatError(`key material must be 64 bytes, got ${b.length}`);
  const buf = Buffer.from(b);
  return { encrypt: buf.subarray(0, 32), macK: buf.subarray(32, 48), macR: buf.subarray(48, 64) };
}

/** The 64 bytes of a key, in {@link keyFromBytes}'s order (how a key travels to a worker thread). */
export function keyBytes(k: MasterKey): Buffer {
  return Buffer.concat([k.encrypt, k.macK, k.macR]);
}

/** The master key JSON restic stores inside a key file: `{"mac":{"k":b64,"r":b64},"encrypt":b64}`. */
export function masterKeyToJSON(k: MasterKey): string {
  return `{"mac":{"k":"${k.macK.toString('base64')}","r":"${k.macR.toString('base64')}"},"encrypt":"${k.encrypt.toString('base64')}"}`;
}

/** Parses the master key JSON of a key file; throws {@link FormatError} on wrong shapes or sizes. */
export function masterKeyFromJSON(text: string | Buffer): MasterKey {
  let j: unknown;
  try {
    j = JSON.parse(text.toString());
  } catch {
    throw new FormatError('master key is not JSON');
  }
  const o = j as { mac?: { k?: unknown; r?: unknown }; encrypt?: unknown };
  const dec = (v: unknown, n: number, what: string): Buffer => {
    if (typeof v !== 'string') throw new FormatError(`master key: ${what} missing`);
    const b = Buffer.from(v, 'base64');
    if (b.length !== n) throw new FormatError(`master key: ${what} must be ${n} bytes`);
    return b;
  };
  return {
    encrypt: dec(o.encrypt, 32, 'encrypt'),
    macK: dec(o.mac?.k, 16, 'mac.k'),
    macR: dec(o.mac?.r, 16, 'mac.r'),
  };
}

function macOf(key: MasterKey, iv: Uint8Array, ct: Uint8Array): Buffer {
  // Poly1305-AES: the one-time "s" half is AES-128_k(IV); r is the fixed key half.
  const ecb = createCipheriv('aes-128-ecb', key.macK, null);
  ecb.setAutoPadding(false);
  const s = ecb.update(iv);
  const polyKey = Buffer.allocUnsafe(32);
  key.macR.copy(polyKey, 0);
  s.copy(polyKey, 16);
  return poly1305(ct, polyKey);
}

function randomIV(): Buffer {
  for (;;) {
    const iv = randomBytes(IV_SIZE);
    // An all-zero IV is rejected by restic; the chance is 2^-128 but the check is free.
    if (iv.some((x) => x !== 0)) return iv;
  }
}

/** Encrypts and authenticates `plaintext`; returns IV || ct || MAC (length + 32). */
export function encrypt(key: MasterKey, plaintext: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(plaintext.length + CRYPTO_OVERHEAD);
  const iv = randomIV();
  iv.copy(out, 0);
  const c = createCipheriv('aes-256-ctr', key.encrypt, iv);
  const n = c.update(plaintext).copy(out, IV_SIZE);
  c.final();
  const ct = out.subarray(IV_SIZE, IV_SIZE + n);
  macOf(key, iv, ct).copy(out, IV_SIZE + n);
  return out;
}

/**
 * Verifies the MAC, then decrypts. Throws {@link IntegrityError} when the data is too short or the MAC does not match,
 * so a wrong key and corruption look the same (restic behaves alike).
 */
export function decrypt(key: MasterKey, data: Uint8Array): Buffer {
  if (data.length < CRYPTO_OVERHEAD) throw new IntegrityError(`ciphertext too short (${data.length} bytes)`);
  const iv = data.subarray(0, IV_SIZE);
  const ct = data.subarray(IV_SIZE, data.length - MAC_SIZE);
  const mac = data.subarray(data.length - MAC_SIZE);
  const want = macOf(key, iv, ct);
  if (!timingSafeEqual(want, mac)) throw new IntegrityError('ciphertext verification failed (MAC mismatch)');
  const d = createCipheriv('aes-256-ctr', key.encrypt, iv);
  const out = d.update(ct);
  d.final();
  return out;
}

/** SHA-256 of one buffer or the concatenation of several (no copy). */
export function sha256(data: Uint8Array | readonly Uint8Array[]): Buffer {
  const h = createHash('sha256');
  if (data instanceof Uint8Array) h.update(data);
  else for (const d of data) h.update(d);
  return h.digest();
}

/** Lowercase hex SHA-256: restic's id of a file or blob. */
export function sha256Hex(data: Uint8Array | readonly Uint8Array[]): string {
  return sha256(data).toString('hex');
}

/** A random 64-hex id (config id, temp names). */
export function randomId(): string {
  return randomBytes(32).toString('hex');
}

/** True for a well-formed restic id: 64 lowercase hex characters. */
export function isId(s: string): boolean {
  return s.length === 64 && /^[0-9a-f]{64}$/.test(s);
}
