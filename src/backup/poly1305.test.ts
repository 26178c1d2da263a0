import { randomBytes } from 'node:crypto';
import { poly1305 as reference } from '@noble/ciphers/_poly1305.js';
import { describe, expect, it } from 'vitest';
import { poly1305 } from './poly1305.js';

describe('poly1305 (WebAssembly)', () => {
  it('gives the RFC 8439 §2.5.2 test vector', () => {
    const key = Buffer.from('85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b', 'hex');
    const msg = Buffer.from('Cryptographic Forum Research Group');
    expect(poly1305(msg, key).toString('hex')).toBe('a8061dc1305136c6c22b8baf0c0127a9');
  });

  it('agrees with an independent implementation on edge and random inputs', () => {
    const lengths = [0, 1, 15, 16, 17, 31, 32, 33, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 200_003];
    for (let i = 0; i < 400; i++) lengths.push(i < 100 ? i : Math.floor(Math.random() * 150_000));
    lengths.forEach((n, i) => {
      const key = randomBytes(32);
      if (i % 3 === 0) key.fill(0xff); // r and s at their maximum: every carry path
      if (i % 5 === 0) key.fill(0xff, 16); // s at its maximum: the final addition wraps
      const msg = randomBytes(n);
      if (i % 4 === 0) msg.fill(0xff); // h close to 2^130 - 5: the final reduction path
      expect(poly1305(msg, key).toString('hex'), `length ${n}`).toBe(
        Buffer.from(reference(msg, key)).toString('hex'),
      );
    });
  });

  it('rejects a key of the wrong size', () => {
    expect(() => poly1305(Buffer.alloc(3), Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});
