import { hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Thrown when the master key file cannot be read or does not hold a key; the message says what to do. */
export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

const KEY_BYTES = 32;

/**
 * The server's master key (STEWARD_MASTER_KEY_FILE). It is never used directly and never leaves the process:
 * each feature derives its own key with {@link MasterKey.derive} (HKDF-SHA256 with a purpose label), so a key
 * that leaks from one feature tells nothing about another's. It is kept outside the database on purpose: whoever
 * can write the database cannot forge what it signs.
 */
export class MasterKey {
  readonly #key: Buffer;

  /** @param key exactly 32 bytes */
  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) throw new MasterKeyError(`a master key has ${KEY_BYTES} bytes`);
    this.#key = Buffer.from(key);
  }

  /** A 32-byte key for one purpose (`audit-chain`, `vault`, …): HKDF-SHA256 with the purpose as its info. */
  derive(purpose: string): Buffer {
    if (!/^[a-z0-9][a-z0-9.:-]{0,99}$/.test(purpose)) throw new Error(`invalid key purpose "${purpose}"`);
    return Buffer.from(hkdfSync('sha256', this.#key, Buffer.alloc(0), `steward:${purpose}`, KEY_BYTES));
  }

  /** Never prints the key (logs, errors, util.inspect). */
  toJSON(): string {
    return '[MasterKey]';
  }

  /** Never prints the key. */
  toString(): string {
    return '[MasterKey]';
  }

  /** Never prints the key. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[MasterKey]';
  }
}

/** The key in a file's text: 64 hex digits or base64 of 32 bytes (one line), or exactly 32 raw bytes. */
function parseKey(file: Buffer): Buffer | undefined {
  const text = file.toString('utf8').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const key = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  return file.length === KEY_BYTES ? file : undefined;
}

/** Creates the key file with a new random key unless it exists (exclusive create: two processes agree). */
function createKeyFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw err;
  }
  try {
    writeSync(fd, `${randomBytes(KEY_BYTES).toString('base64')}\n`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the master key from `path`; when the file does not exist and `create` is set, first creates it (mode
 * 0600, 32 random bytes in base64). Throws {@link MasterKeyError} naming the file when it cannot be read or does
 * not hold a key.
 */
export function loadMasterKey(path: string, opts: { create: boolean } = { create: true }): MasterKey {
  let file: Buffer;
  try {
    if (opts.create) createKeyFile(path);
    file = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new MasterKeyError(
      `cannot read the master key file ${path} (${code}): set STEWARD_MASTER_KEY_FILE to a readable file`,
      { cause: err },
    );
  }
  const key = parseKey(file);
  if (!key) {
    throw new MasterKeyError(
      `the master key file ${path} does not hold a key: it must contain 32 bytes as 64 hex digits or base64 ` +
        '(e.g. `openssl rand -base64 32`)',
    );
  }
  return new MasterKey(key);
}
