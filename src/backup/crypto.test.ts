import { createCipheriv } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { poly1305 } from '@noble/ciphers/_poly1305.js';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CRYPTO_OVERHEAD,
  decrypt,
  encrypt,
  keyFromBytes,
  masterKeyFromJSON,
  masterKeyToJSON,
  newMasterKey,
  sha256Hex,
} from './crypto.js';
import { IntegrityError } from './errors.js';
import { deriveUserKey } from './keys.js';
import { removeTempDirs, tempDir } from './testkit.js';

afterAll(removeTempDirs);

const TESTDATA = [
  process.env.STEWARD_RESTIC_TESTDATA,
  join(process.cwd(), '..', 'shared', 'restic-testdata'),
  '/work/shared/restic-testdata',
].find((p): p is string => !!p && existsSync(p));

describe('crypto', () => {
  it('poly1305 matches the RFC 8439 test vector (section 2.5.2)', () => {
    const key = Buffer.from('85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b', 'hex');
    const tag = poly1305(Buffer.from('Cryptographic Forum Research Group'), key);
    expect(Buffer.from(tag).toString('hex')).toBe('a8061dc1305136c6c22b8baf0c0127a9');
  });

  it('round-trips and adds 32 bytes', () => {
    const k = newMasterKey();
    for (const n of [0, 1, 15, 16, 17, 1000, 100_000]) {
      const p = Buffer.alloc(n, n & 0xff);
      const c = encrypt(k, p);
      expect(c.length).toBe(n + CRYPTO_OVERHEAD);
      expect(decrypt(k, c).equals(p)).toBe(true);
    }
  });

  it('uses a fresh IV each time', () => {
    const k = newMasterKey();
    expect(encrypt(k, Buffer.from('x')).equals(encrypt(k, Buffer.from('x')))).toBe(false);
  });

  it('computes CTR as a 128-bit big-endian counter and the MAC as Poly1305-AES over the ciphertext', () => {
    const k = newMasterKey();
    const plain = Buffer.alloc(48, 7);
    const c = encrypt(k, plain);
    const iv = c.subarray(0, 16);
    // Recompute by hand with AES-ECB of counter blocks.
    const ecb = (key: Buffer, b: Buffer): Buffer => {
      const e = createCipheriv(key.length === 32 ? 'aes-256-ecb' : 'aes-128-ecb', key, null);
      e.setAutoPadding(false);
      return e.update(b);
    };
    let ctr = BigInt(`0x${iv.toString('hex')}`);
    const ks: Buffer[] = [];
    for (let i = 0; i < 3; i++) {
      ks.push(ecb(k.encrypt, Buffer.from(ctr.toString(16).padStart(32, '0'), 'hex')));
      ctr = (ctr + 1n) % (1n << 128n);
    }
    const stream = Buffer.concat(ks);
    const ct = c.subarray(16, 64);
    expect(Buffer.from(plain.map((x, i) => x ^ stream[i]!)).equals(ct)).toBe(true);
    const mac = poly1305(ct, Buffer.concat([k.macR, ecb(k.macK, iv)]));
    expect(Buffer.from(mac).equals(c.subarray(64))).toBe(true);
  });

  it('rejects any flipped bit and short input with IntegrityError', () => {
    const k = newMasterKey();
    const c = encrypt(k, Buffer.from('hello world, this is a test'));
    for (const pos of [0, 15, 16, 20, c.length - 17, c.length - 1]) {
      const bad = Buffer.from(c);
      bad[pos]! ^= 1;
      expect(() => decrypt(k, bad)).toThrow(IntegrityError);
    }
    expect(() => decrypt(k, c.subarray(0, 31))).toThrow(IntegrityError);
    expect(() => decrypt(newMasterKey(), c)).toThrow(IntegrityError);
  });

  it('serialises the master key as restic does', () => {
    const k = keyFromBytes(Buffer.alloc(64, 1));
    const j = masterKeyToJSON(k);
    expect(j).toBe(
      `{"mac":{"k":"AQEBAQEBAQEBAQEBAQEBAQ==","r":"AQEBAQEBAQEBAQEBAQEBAQ=="},"encrypt":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="}`,
    );
    expect(masterKeyFromJSON(j)).toEqual(k);
  });

  it.runIf(TESTDATA)('opens a key file written by restic (real vector)', async () => {
    const { execFileSync } = await import('node:child_process');
    const tmp = tempDir('steward-kv-');
    execFileSync('tar', ['-xzf', join(TESTDATA!, 'small-repo.tar.gz'), '-C', tmp]);
    const keysDir = join(tmp, 'repo', 'keys');
    const [name] = readdirSync(keysDir);
    const raw = readFileSync(join(keysDir, name!));
    expect(sha256Hex(raw)).toBe(name);
    const kf = JSON.parse(raw.toString()) as { N: number; r: number; p: number; salt: string; data: string };
    const user = await deriveUserKey('geheim', Buffer.from(kf.salt, 'base64'), kf);
    const master = masterKeyFromJSON(decrypt(user, Buffer.from(kf.data, 'base64')));
    const config = JSON.parse(decrypt(master, readFileSync(join(tmp, 'repo', 'config'))).toString()) as {
      version: number;
    };
    expect(config.version).toBe(1);
    const wrong = await deriveUserKey('Geheim', Buffer.from(kf.salt, 'base64'), kf);
    expect(() => decrypt(wrong, Buffer.from(kf.data, 'base64'))).toThrow(IntegrityError);
  });
});
